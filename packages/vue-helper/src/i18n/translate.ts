import type { HelperMessages, MessageKey } from './types.js';

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/**
 * Looks a string up in the catalogue `messages()` answers (read at each call, so a catalogue that
 * loads later re-renders what uses it), picks the plural form for `count`, fills in `{names}`.
 */
export function createTranslator(messages: () => HelperMessages, tag: () => string): Translate {
  return (key, params = {}) => {
    const entry = messages()[key];
    let text: string;
    if (typeof entry === 'string') {
      text = entry;
    } else {
      const count = Number(params.count);
      text = entry[new Intl.PluralRules(tag()).select(count)] ?? entry.other;
    }
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? value.toLocaleString(tag()) : value;
    });
  };
}
