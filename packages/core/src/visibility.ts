import type { WidgetSettings } from './settings.js';

/** The customer as far as visibility is concerned; `null` is an anonymous visitor. */
export type VisibilityCustomer = { readonly value?: unknown } | null | undefined;

/**
 * Whether the chat icon is shown: the one implementation of the rule.
 * `revenue_based` shows it only to an identified customer whose `value` is a finite number of at
 * least `minValue`; a missing, non-numeric or negative value hides it.
 */
export function isWidgetVisible(
  settings: Pick<WidgetSettings, 'displayMode' | 'minValue'>,
  customer: VisibilityCustomer,
): boolean {
  switch (settings.displayMode) {
    case 'always':
      return true;
    case 'off':
      return false;
    case 'revenue_based': {
      const value = customer?.value;
      return (
        typeof value === 'number' &&
        Number.isFinite(value) &&
        value >= 0 &&
        value >= settings.minValue
      );
    }
    default:
      // An unknown mode (a newer server, a corrupt row) hides the icon rather than guessing.
      return false;
  }
}
