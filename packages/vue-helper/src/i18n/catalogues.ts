// The choice of the widget's language. It stays in the launcher: as a chunk of its own it
// would weigh about 500 B more on each other language (its loaders' addresses compress badly) to
// save half that for English visitors. See docs/widget.md#size.
import type { Language } from '../locale.js';
import type { HelperError } from '../types.js';
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

// Tags of languages written right to left; Intl.Locale#getTextInfo is not in every browser yet.
const RTL = /^(ar|arc|ckb|dv|fa|he|iw|ks|ps|sd|ug|ur|yi)(-|$)/;

/** A well-formed tag in its canonical form, or `undefined`. */
function canonicalTag(input: unknown): string | undefined {
  // An empty or malformed tag throws, like any other.
  if (typeof input !== 'string') return undefined;
  try {
    return Intl.getCanonicalLocales(input)[0];
  } catch {
    return undefined;
  }
}

/**
 * The language for the tag `asked` (the `locale` option, else the browser's): the language subtag
 * picks the catalogue (`pt-BR` uses `pt`), and the tag itself is kept for `lang`, dates and
 * plurals. Without a catalogue, English shows, and is labelled English too, unless the host brings
 * its own strings for that language. A malformed tag is reported and English is used; a catalogue
 * that cannot load throws.
 */
export async function choose(
  asked: string,
  overrides: Partial<HelperMessages>,
  english: HelperMessages,
  report: (error: HelperError) => void,
): Promise<Language> {
  const tag = canonicalTag(asked);
  if (tag === undefined) {
    report({
      kind: 'locale',
      code: 'invalid_locale',
      message:
        process.env.NODE_ENV !== 'production'
          ? `locale "${asked}" is not a BCP 47 language tag; English is used.`
          : 'invalid_locale',
    });
    return { tag: 'en', dir: 'ltr', messages: english };
  }
  // A canonical tag's language subtag is in lower case already.
  const code = tag.split('-')[0]!;
  // No inherited property is a language subtag (2-3 or 5-8 lower-case letters), so a plain lookup
  // finds only the loaders.
  const load = loaders[code];
  const shown = load || code === 'en' || Object.keys(overrides).length > 0 ? tag : 'en';
  return {
    tag: shown,
    dir: RTL.test(shown) ? 'rtl' : 'ltr',
    messages: load ? { ...(await load()).default, ...overrides } : english,
  };
}
