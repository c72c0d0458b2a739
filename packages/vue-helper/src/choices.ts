// The values of the widget's enumerated options, exported so a host's own switchers (the demo's,
// the documentation's live widget) offer exactly what the widget accepts.

/**
 * The languages the widget ships a catalogue for. Any other `locale` falls back to English (or
 * to the host's `messages`). See docs/widget.md#locales.
 */
export const HELPER_LOCALES = ['en', 'de', 'fr', 'es', 'pt', 'ja', 'ar'] as const;
export type HelperLocale = (typeof HELPER_LOCALES)[number];

/** `auto` follows the visitor's `prefers-color-scheme`. */
export const HELPER_THEMES = ['auto', 'light', 'dark'] as const;
export type HelperTheme = (typeof HELPER_THEMES)[number];

/** The side of the screen, whatever the text direction. */
export const HELPER_POSITIONS = ['right', 'left'] as const;
export type HelperPosition = (typeof HELPER_POSITIONS)[number];
