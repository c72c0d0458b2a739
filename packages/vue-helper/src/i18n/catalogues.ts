import type { HelperMessages } from './types.js';

/**
 * The catalogues beyond English, each its own chunk that loads only when a visitor's locale asks
 * for it. The literal imports let every bundler see and split them.
 */
const loaders: Record<string, () => Promise<{ default: HelperMessages }>> = {
  de: () => import('./de.js'),
  fr: () => import('./fr.js'),
  es: () => import('./es.js'),
  pt: () => import('./pt.js'),
  ja: () => import('./ja.js'),
  ar: () => import('./ar.js'),
};

// Scripts written right to left; Intl.Locale#getTextInfo is not in every browser yet.
const RTL = /^(ar|arc|ckb|dv|fa|he|iw|ks|ps|sd|ug|ur|yi)$/;

export interface ResolvedLocale {
  /** The BCP 47 tag for `lang`, dates and plurals. */
  tag: string;
  /** The built-in catalogue's language, or `en` when none matches. */
  catalogue: string;
  dir: 'ltr' | 'rtl';
}

/** A well-formed tag in its canonical form, or `undefined`. */
export function canonicalTag(input: unknown): string | undefined {
  if (typeof input !== 'string' || input === '') return undefined;
  try {
    return Intl.getCanonicalLocales(input)[0];
  } catch {
    return undefined;
  }
}

/**
 * Picks the catalogue by language (`pt-BR` uses `pt`). Without one, English shows, and the page
 * is labelled English too, unless the host brings its own strings (`custom`) for that language.
 */
export function resolveLocale(tag: string, custom: boolean): ResolvedLocale {
  const language = tag.split('-')[0]!.toLowerCase();
  const known = language === 'en' || Object.hasOwn(loaders, language);
  const shown = known || custom ? tag : 'en';
  return {
    tag: shown,
    catalogue: known ? language : 'en',
    dir: RTL.test(shown.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr',
  };
}

export const loadCatalogue = async (language: string): Promise<HelperMessages> =>
  (await loaders[language]!()).default;
