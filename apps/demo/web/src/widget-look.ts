/**
 * The widget's language and theme, from the page's `?lang=` and `?theme=`: options given at
 * initialisation, so the switcher reloads the page with the new choice.
 */
export const LANG_PARAM = 'lang';
export const THEME_PARAM = 'theme';

export const LANGUAGES = [
  { value: '', label: 'Browser default' },
  { value: 'en', label: 'English' },
  { value: 'de', label: 'Deutsch' },
  { value: 'fr', label: 'Français' },
  { value: 'es', label: 'Español' },
  { value: 'pt', label: 'Português' },
  { value: 'ja', label: '日本語' },
  { value: 'ar', label: 'العربية' },
] as const;

export const THEMES = ['auto', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const param = (name: string) => new URLSearchParams(window.location.search).get(name) ?? '';

/** `undefined`: the browser's language. */
export function localeOption(): string | undefined {
  const lang = param(LANG_PARAM);
  return LANGUAGES.some((language) => language.value === lang) && lang !== '' ? lang : undefined;
}

export function themeOption(): Theme {
  const theme = param(THEME_PARAM);
  return (THEMES as readonly string[]).includes(theme) ? (theme as Theme) : 'auto';
}

/** Reloads the page with `name` set to `value` (removed when empty or the default). */
export function reloadWith(name: string, value: string): void {
  const url = new URL(window.location.href);
  if (value === '' || (name === THEME_PARAM && value === 'auto')) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  window.location.assign(url.href);
}
