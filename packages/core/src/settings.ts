import { accept, type FieldError, type FieldRule, type Validation } from './errors.js';
import {
  booleanRule,
  choiceRule,
  nonNegativeNumberRule,
  textRule,
  urlRule,
  validateFields,
  type RuleSet,
} from './rules.js';

export const DISPLAY_MODES = ['always', 'revenue_based', 'off'] as const;
export type DisplayMode = (typeof DISPLAY_MODES)[number];

/** A mailbox's widget settings. */
export interface WidgetSettings {
  /** Who sees the chat icon: everyone, customers worth at least `minValue`, or nobody. */
  displayMode: DisplayMode;
  /** Revenue threshold for `revenue_based`, in the unit of the customer's `value`. */
  minValue: number;
  /** Title of the chat panel, unless the client gives its own. */
  title: string;
  /** Answer a customer's first email with a link that continues the conversation in the chat. */
  autoRespondEmailToChat: boolean;
  /** Page that hosts the widget, where the email-to-chat link points. */
  widgetHost: string | null;
  /** Whether visitors without a verified identity may chat. */
  allowAnonymous: boolean;
}

export const DEFAULT_TITLE = 'Support';

export const DEFAULT_SETTINGS: Readonly<WidgetSettings> = Object.freeze({
  displayMode: 'always',
  minValue: 0,
  title: DEFAULT_TITLE,
  autoRespondEmailToChat: false,
  widgetHost: null,
  allowAnonymous: true,
});

const nullable =
  <T>(rule: FieldRule<T>): FieldRule<T | null> =>
  (value) =>
    value === null ? accept(null) : rule(value);

export const TITLE_MAX_LENGTH = 100;

/** The rule for a title, shared by the mailbox setting and the widget's own `title` option. */
export const titleRule = textRule('title', { min: 1, max: TITLE_MAX_LENGTH });

/** One rule per setting: the single source that DTOs and forms delegate to. */
export const settingsRules: RuleSet<WidgetSettings> = {
  displayMode: choiceRule('displayMode', DISPLAY_MODES),
  minValue: nonNegativeNumberRule('minValue'),
  title: titleRule,
  autoRespondEmailToChat: booleanRule('autoRespondEmailToChat'),
  widgetHost: nullable(urlRule('widgetHost', { httpsOnly: true })),
  allowAnonymous: booleanRule('allowAnonymous'),
};

/** Rules that tie several settings together; each error names the field to fix. */
export function checkSettingsConsistency(settings: WidgetSettings): FieldError[] {
  if (settings.autoRespondEmailToChat && settings.widgetHost === null) {
    return [
      {
        field: 'widgetHost',
        code: 'required',
        message:
          'widgetHost is required while autoRespondEmailToChat is on: the reply links to it.',
      },
    ];
  }
  return [];
}

/**
 * Validates a partial update against the current settings and answers the settings as they would
 * be after it. Nothing is applied on failure: the caller stores `value` only when `ok`.
 */
export function validateSettingsPatch(
  patch: unknown,
  current: Readonly<WidgetSettings> = DEFAULT_SETTINGS,
): Validation<WidgetSettings> {
  const fields = validateFields(patch, settingsRules, 'the settings');
  if (!fields.ok) return fields;
  const next: WidgetSettings = { ...current, ...fields.value };
  const errors = checkSettingsConsistency(next);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: next };
}
