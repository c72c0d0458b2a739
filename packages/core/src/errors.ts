/**
 * The field-error shape that every helperkit package reports, so that a client can show each
 * message next to the input it belongs to, whichever layer found the problem.
 */
export interface FieldError {
  /** Dotted path of the offending field, e.g. `minValue` or `links.docs`. */
  readonly field: string;
  /** Stable machine-readable code, e.g. `too_long`. */
  readonly code: FieldErrorCode;
  /** Human message, safe to show to the person who made the mistake. */
  readonly message: string;
}

export type FieldErrorCode =
  | 'required'
  | 'unknown_field'
  | 'wrong_type'
  | 'not_finite'
  | 'negative'
  | 'too_short'
  | 'too_long'
  | 'too_many'
  | 'control_characters'
  | 'invalid_choice'
  | 'invalid_url'
  | 'insecure_url';

/** Outcome of checking one value: the normalised value, or why it was refused. */
export type Check<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: FieldErrorCode; readonly message: string };

/** Outcome of validating a whole object: the normalised object, or every field error at once. */
export type Validation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** A rule for one field: takes anything, answers with a {@link Check}. */
export type FieldRule<T> = (value: unknown) => Check<T>;

export const accept = <T>(value: T): Check<T> => ({ ok: true, value });

export const refuse = <T = never>(code: FieldErrorCode, message: string): Check<T> => ({
  ok: false,
  code,
  message,
});

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);
