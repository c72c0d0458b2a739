import { HELPER_LOCALES, HELPER_THEMES } from '@helperkit/vue';
/**
 * The widget's language and theme, from the page's `?lang=` and `?theme=`: options given at
 * initialisation, so the switcher reloads the page with the new choice.
 */
export const LANG_PARAM = 'lang';
export const THEME_PARAM = 'theme';

/** The widget's own languages, each named in itself, as a language menu names them. */
export const LANGUAGES = [
  { value: '', label: 'Browser default' },
  ...HELPER_LOCALES.map((value) => {
    const name = new Intl.DisplayNames([value], { type: 'language' }).of(value) ?? value;
    return { value, label: name.charAt(0).toLocaleUpperCase(value) + name.slice(1) };
  }),
];

export const THEMES = HELPER_THEMES;
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
