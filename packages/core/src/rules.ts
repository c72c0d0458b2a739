import {
  accept,
  isPlainObject,
  refuse,
  type FieldError,
  type FieldRule,
  type Validation,
} from './errors.js';
import { characterCount, hasControlCharacters } from './text.js';

/** Longest URL we store: generous for real links, small enough that nobody stores a file in one. */
export const MAX_URL_LENGTH = 2048;

export const textRule =
  (label: string, { min, max }: { min: number; max: number }): FieldRule<string> =>
  (value) => {
    if (typeof value !== 'string') return refuse('wrong_type', `${label} must be a string.`);
    const text = value.trim();
    if (hasControlCharacters(text)) {
      return refuse('control_characters', `${label} must not contain control characters.`);
    }
    const length = characterCount(text);
    if (length < min) {
      return refuse(
        'too_short',
        `${label} must have at least ${min} character${min === 1 ? '' : 's'}.`,
      );
    }
    if (length > max) return refuse('too_long', `${label} must have at most ${max} characters.`);
    return accept(text);
  };

// Line breaks and tabs belong in free text; every other control character is refused.
const FORBIDDEN_IN_MULTILINE_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Free text of several lines: trimmed, CRLF and lone CR turned into LF, tabs kept, every other
 * control character refused; its length counted in characters as a person counts them.
 */
export const multilineTextRule =
  (label: string, { allowEmpty, max }: { allowEmpty: boolean; max: number }): FieldRule<string> =>
  (value) => {
    if (typeof value !== 'string') return refuse('wrong_type', `${label} must be a string.`);
    const text = value.replace(/\r\n?/g, '\n').trim();
    if (FORBIDDEN_IN_MULTILINE_TEXT.test(text)) {
      return refuse(
        'control_characters',
        `${label} must not contain control characters other than line breaks and tabs.`,
      );
    }
    if (text === '' && !allowEmpty) return refuse('too_short', `${label} must not be empty.`);
    if (text.length > max && characterCount(text) > max) {
      return refuse('too_long', `${label} must have at most ${max} characters.`);
    }
    return accept(text);
  };

export const nonNegativeNumberRule =
  (label: string): FieldRule<number> =>
  (value) => {
    if (typeof value !== 'number') return refuse('wrong_type', `${label} must be a number.`);
    if (!Number.isFinite(value)) return refuse('not_finite', `${label} must be a finite number.`);
    if (value < 0) return refuse('negative', `${label} must be zero or more.`);
    return accept(value);
  };

export const booleanRule =
  (label: string): FieldRule<boolean> =>
  (value) =>
    typeof value === 'boolean'
      ? accept(value)
      : refuse('wrong_type', `${label} must be true or false.`);

export const choiceRule =
  <T extends string>(label: string, choices: readonly T[]): FieldRule<T> =>
  (value) =>
    typeof value === 'string' && (choices as readonly string[]).includes(value)
      ? accept(value as T)
      : refuse('invalid_choice', `${label} must be one of: ${choices.join(', ')}.`);

const LOCAL_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export const isLocalHostname = (hostname: string): boolean =>
  LOCAL_HOSTNAMES.has(hostname) || hostname.endsWith('.localhost');

/**
 * An absolute `http:` or `https:` URL without credentials. With `httpsOnly`, plain `http:` is
 * accepted only for a local host, where development servers run without certificates.
 */
export const urlRule =
  (label: string, { httpsOnly }: { httpsOnly: boolean }): FieldRule<string> =>
  (value) => {
    if (typeof value !== 'string') return refuse('wrong_type', `${label} must be a string.`);
    const text = value.trim();
    if (text.length > MAX_URL_LENGTH) {
      return refuse('too_long', `${label} must have at most ${MAX_URL_LENGTH} characters.`);
    }
    if (hasControlCharacters(text)) {
      return refuse('control_characters', `${label} must not contain control characters.`);
    }
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return refuse('invalid_url', `${label} must be an absolute URL such as https://example.com.`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return refuse('invalid_url', `${label} must use http: or https:.`);
    }
    if (url.username !== '' || url.password !== '') {
      return refuse('invalid_url', `${label} must not contain a user name or password.`);
    }
    if (httpsOnly && url.protocol === 'http:' && !isLocalHostname(url.hostname)) {
      return refuse(
        'insecure_url',
        `${label} must use https: (http: is allowed for localhost only).`,
      );
    }
    return accept(text);
  };

export type RuleSet<T> = { readonly [K in keyof T]-?: FieldRule<T[K]> };

/**
 * Checks an object field by field: unknown fields are refused, missing ones are left out (a
 * partial object), and every error is reported at once rather than only the first.
 */
export function validateFields<T extends object>(
  input: unknown,
  rules: RuleSet<T>,
  subject: string,
): Validation<Partial<T>> {
  if (!isPlainObject(input)) {
    return {
      ok: false,
      errors: [{ field: '', code: 'wrong_type', message: `${subject} must be a JSON object.` }],
    };
  }
  const errors: FieldError[] = [];
  const value: Partial<Record<keyof T, unknown>> = {};
  for (const [field, raw] of Object.entries(input)) {
    if (!Object.prototype.hasOwnProperty.call(rules, field)) {
      errors.push({
        field,
        code: 'unknown_field',
        message: `${field} is not a known field of ${subject}.`,
      });
      continue;
    }
    if (raw === undefined) continue;
    const check = rules[field as keyof T](raw);
    if (check.ok) value[field as keyof T] = check.value;
    else errors.push({ field, code: check.code, message: check.message });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: value as Partial<T> };
}
