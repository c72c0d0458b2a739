import {
  HELPER_POSITIONS,
  HELPER_THEMES,
  type HelperPosition,
  type HelperTheme,
} from './choices.js';
import type { HelperOptions } from './types.js';

export const DEFAULT_MAILBOX = 'default';

/** The options a mistake in which must stop the start-up, checked and with defaults applied. */
export interface CheckedOptions {
  apiBase: string;
  showToggleButton: boolean | undefined;
  mailbox: string;
  position: HelperPosition;
  theme: HelperTheme;
}

/**
 * Throws for a mistaken option. What to change is a developer's to read: production builds drop
 * it (`advice` is `false` there) and name the option only. See docs/widget.md#size.
 */
const fail = (option: string, advice: string | false): never => {
  throw new TypeError(`createHelper(): ${advice || `invalid ${option}`}`);
};

/** The option's value, or the first allowed one when it is not given. */
function oneOf<T>(name: string, value: unknown, allowed: readonly T[], what?: string): T {
  if (value === undefined) return allowed[0]!;
  if (!allowed.includes(value as T)) {
    fail(
      name,
      process.env.NODE_ENV !== 'production' &&
        `${name} must be ${what ?? allowed.map((v) => `"${v}"`).join(' or ') + `, not ${String(value)}`}.`,
    );
  }
  return value as T;
}

const BOOLEAN = [undefined, true, false] as const;

/**
 * Configuration mistakes are a developer's to fix, so they throw at start-up with what to change;
 * a value that varies by visitor (the locale, the title) is reported through `error` instead.
 */
export function checkOptions(options: HelperOptions): CheckedOptions {
  const { apiBase, mailbox = DEFAULT_MAILBOX } = options ?? {};
  if (typeof apiBase !== 'string' || apiBase.trim() === '') {
    fail(
      'apiBase',
      process.env.NODE_ENV !== 'production' &&
        'needs apiBase, where the helperkit Nest module is mounted, e.g. { apiBase: "/helper" }.',
    );
  }
  const camel = oneOf('showToggleButton', options.showToggleButton, BOOLEAN, 'a boolean');
  const snake = oneOf('show_toggle_button', options.show_toggle_button, BOOLEAN, 'a boolean');
  if (camel !== undefined && snake !== undefined && camel !== snake) {
    fail(
      'showToggleButton',
      process.env.NODE_ENV !== 'production' &&
        'showToggleButton and its alias show_toggle_button disagree: give only one.',
    );
  }
  if (typeof mailbox !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,63}$/i.test(mailbox)) {
    fail(
      'mailbox',
      process.env.NODE_ENV !== 'production' &&
        'mailbox must be the mailbox slug (letters, digits, "-" and "_", at most 64).',
    );
  }
  return {
    apiBase,
    showToggleButton: camel ?? snake,
    mailbox,
    position: oneOf('position', options.position, HELPER_POSITIONS),
    theme: oneOf('theme', options.theme, HELPER_THEMES),
  };
}
