// The choice of a language other than English. It stays in the launcher: as a chunk of its own it
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

// Scripts written right to left; Intl.Locale#getTextInfo is not in every browser yet.
const RTL = /^(ar|arc|ckb|dv|fa|he|iw|ks|ps|sd|ug|ur|yi)$/;

/**
 * The language for a canonical `tag` (`undefined`: the host's `asked` option is malformed, which
 * is reported, and English is used). The language subtag picks the catalogue (`pt-BR` uses `pt`).
 * Without one, English shows, and is labelled English too, unless the host brings its own strings
 * for that language. A catalogue that cannot load throws.
 */
export async function choose(
  tag: string | undefined,
  asked: unknown,
  overrides: Partial<HelperMessages>,
  english: HelperMessages,
  report: (error: HelperError) => void,
): Promise<Language> {
  if (tag === undefined) {
    report({
      kind: 'locale',
      code: 'invalid_locale',
      message: `locale "${String(asked)}" is not a BCP 47 language tag; English is used.`,
    });
    return { tag: 'en', dir: 'ltr', messages: english };
  }
  const code = tag.split('-')[0]!.toLowerCase();
  const load = Object.hasOwn(loaders, code) ? loaders[code] : undefined;
  const shown = load || Object.keys(overrides).length > 0 ? tag : 'en';
  return {
    tag: shown,
    dir: RTL.test(shown.split('-')[0]!.toLowerCase()) ? 'rtl' : 'ltr',
    messages: load ? { ...(await load()).default, ...overrides } : english,
  };
}
