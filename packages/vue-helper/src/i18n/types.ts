import type en from './en.js';

/** One text per plural category of `Intl.PluralRules`; `other` is the one always there. */
export type PluralMessage = { other: string } & Partial<
  Record<'zero' | 'one' | 'two' | 'few' | 'many', string>
>;

/** Every built-in string, keyed as in the English catalogue: the contract for `messages`. */
export type HelperMessages = {
  [K in keyof typeof en]: (typeof en)[K] extends string ? string : PluralMessage;
};

export type MessageKey = keyof HelperMessages;
