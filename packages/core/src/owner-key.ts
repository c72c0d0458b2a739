// Which customer owns a conversation is decided by email address, compared with ASCII-only
// lower-casing. See docs/protocol.md.

const ASCII_UPPER_CASE = /[A-Z]+/g;

/**
 * The key under which a customer's conversations are kept: the address with `A`-`Z` lower-cased
 * and nothing else changed. `Ann@X.com` and `ann@x.com` are one customer. No Unicode case mapping
 * or folding happens, so look-alikes stay apart: the Kelvin sign `\u212A` is not `k`, the dotted
 * capital `\u0130` is not `i`, and the long s `\u017F` is not `s`. An identity verified for one
 * address can never reach the conversations of another that only Unicode folding would equate.
 */
export const ownerKeyForEmail = (email: string): string =>
  email.replace(ASCII_UPPER_CASE, (letters) => letters.toLowerCase());
