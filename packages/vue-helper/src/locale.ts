import { shallowRef } from 'vue';
import { reasonOf } from './client.js';
import { choose } from './i18n/catalogues.js';
import en from './i18n/en.js';
import { createTranslator } from './i18n/translate.js';
import type { HelperMessages } from './i18n/types.js';
import type { HelperError } from './types.js';

/** What a language sets: the tag for `lang`, dates and plurals, the direction, the strings. */
export interface Language {
  tag: string;
  dir: 'ltr' | 'rtl';
  messages: HelperMessages;
}

/**
 * The widget's language: its tag and direction, and `t()` over the catalogue with the host's
 * overrides on top, as `choose` (i18n/catalogues.ts) settles it at start-up, loading another
 * language's catalogue. See docs/widget.md#locales.
 */
export function createLocale(
  option: string | undefined,
  overrides: Partial<HelperMessages> = {},
  report: (error: HelperError) => void,
) {
  const asked =
    option ?? (typeof navigator === 'undefined' ? undefined : navigator.language) ?? 'en';
  // English until `load` has chosen.
  const language = shallowRef<Language>({
    tag: 'en',
    dir: 'ltr',
    messages: { ...en, ...overrides },
  });
  // The widget waits for the choice rather than flash English before another catalogue.
  const ready = shallowRef(false);

  return {
    get tag() {
      return language.value.tag;
    },
    get dir() {
      return language.value.dir;
    },
    ready,
    t: createTranslator(
      () => language.value.messages,
      () => language.value.tag,
    ),
    async load(): Promise<void> {
      try {
        language.value = await choose(asked, overrides, language.value.messages, report);
      } catch (cause) {
        // English stays, labelled English.
        report({
          kind: 'locale',
          code: 'locale_unavailable',
          message:
            process.env.NODE_ENV !== 'production'
              ? `The strings for "${asked}" could not load (${reasonOf(cause)}); English is used.`
              : 'locale_unavailable',
        });
      }
      ready.value = true;
    },
  };
}

export type Locale = ReturnType<typeof createLocale>;
