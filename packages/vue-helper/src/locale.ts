import { shallowRef } from 'vue';
import { reasonOf } from './client.js';
import { canonicalTag, loadCatalogue, resolveLocale } from './i18n/catalogues.js';
import enButton from './i18n/en-button.js';
import { createTranslator } from './i18n/translate.js';
import type { HelperMessages } from './i18n/types.js';
import type { HelperError } from './types.js';

/**
 * The widget's language: its tag and direction, and `t()` over the catalogue with the host's
 * overrides on top. English is there from the start; another catalogue replaces it once loaded.
 * See docs/widget.md#locales.
 */
export function createLocale(
  option: string | undefined,
  overrides: Partial<HelperMessages> = {},
  report: (error: HelperError) => void,
) {
  const asked =
    option ?? (typeof navigator === 'undefined' ? undefined : navigator.language) ?? 'en';
  let given = canonicalTag(asked);
  if (given === undefined) {
    // Only a host's option can be malformed (browsers answer valid tags): say so, use English.
    report({
      kind: 'locale',
      code: 'invalid_locale',
      message: `locale "${String(asked)}" is not a BCP 47 language tag; English is used.`,
    });
    given = 'en';
  }
  const resolved = resolveLocale(given, Object.keys(overrides).length > 0);
  // Until the panel brings the rest of English (see `complete`), only the button's strings are used.
  const messages = shallowRef({ ...enButton, ...overrides } as HelperMessages);
  // Ready at once for English; the widget waits for another catalogue rather than flash English.
  const ready = shallowRef(resolved.catalogue === 'en');
  // A catalogue that could not load leaves English, which must be labelled English.
  const fellBack = shallowRef(false);
  const shownTag = () => (fellBack.value ? 'en' : resolved.tag);

  return {
    get tag() {
      return shownTag();
    },
    get dir(): 'ltr' | 'rtl' {
      return fellBack.value ? 'ltr' : resolved.dir;
    },
    ready,
    t: createTranslator(() => messages.value, shownTag),
    /** Fills in the English strings the current catalogue lacks (the panel's, on arrival). */
    complete(english: HelperMessages): void {
      messages.value = { ...english, ...messages.value };
    },
    async load(): Promise<void> {
      if (ready.value) return;
      try {
        messages.value = { ...(await loadCatalogue(resolved.catalogue)), ...overrides };
      } catch (cause) {
        fellBack.value = true;
        report({
          kind: 'locale',
          code: 'locale_unavailable',
          message: `The "${resolved.catalogue}" strings could not load (${reasonOf(cause)}); English is used.`,
        });
      }
      ready.value = true;
    },
  };
}
