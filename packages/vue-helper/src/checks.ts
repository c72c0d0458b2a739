// The checks of the `title` and `metadata` options with core's rules, a chunk of its own that loads
// only when a host passes one of them, so the launcher carries none of core's validation. The
// package's build puts core's rules inside this chunk (vite.config.ts): the panel needs only the
// message rule, and would otherwise fetch all of them, shared with this chunk, in a chunk of their
// own. So this chunk uses the rules of the core version the widget was built with.
// See docs/widget.md#size.
import { titleRule, validateCustomerMetadata, type CustomerMetadata } from '@helperkit/core';
import type { HelperError } from './types.js';

/** The option as normalised, or the error that says why it is left out. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: HelperError };

export function checkTitle(input: string): Checked<string> {
  const check = titleRule(input);
  if (check.ok) return check;
  return {
    ok: false,
    error: {
      kind: 'title',
      code: check.code,
      message: `${check.message} The title option is ignored.`,
      fields: [{ field: 'title', code: check.code, message: check.message }],
    },
  };
}

export function checkMetadata(input: CustomerMetadata): Checked<CustomerMetadata> {
  const result = validateCustomerMetadata(input);
  if (result.ok) return result;
  return {
    ok: false,
    error: {
      kind: 'metadata',
      code: 'validation_failed',
      message: `Customer metadata is invalid and was not sent: ${result.errors.map((e) => e.message).join(' ')}`,
      fields: result.errors,
    },
  };
}
