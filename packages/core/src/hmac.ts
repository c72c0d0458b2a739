import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

// The one HMAC-SHA256 and constant-time comparison of helperkit: identity, signed metadata and
// the server's own tokens and webhook signatures all go through here. See docs/protocol.md.

export const MIN_SECRET_BYTES = 32;
/** Length of a lowercase hex HMAC-SHA256, as `emailHash` and `metadataHash` travel. */
export const HEX_DIGEST_LENGTH = 64;

const describeSecretProblem = (secret: unknown, index: number): string | null => {
  if (typeof secret !== 'string') return `hmacSecrets[${index}] must be a string.`;
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    return `hmacSecrets[${index}] is shorter than ${MIN_SECRET_BYTES} bytes. Generate one with: openssl rand -hex 32`;
  }
  return null;
};

const SECRETS_LIST_PROBLEM =
  'hmacSecrets must be a non-empty array of strings, the current secret first.';

/**
 * Explains what is wrong with a list of HMAC secrets, or answers `null` when it is usable.
 * The message never contains a secret.
 */
export function describeSecretsProblem(secrets: unknown): string | null {
  if (!Array.isArray(secrets) || secrets.length === 0) return SECRETS_LIST_PROBLEM;
  for (const [index, secret] of secrets.entries()) {
    const problem = describeSecretProblem(secret, index);
    if (problem !== null) return problem;
  }
  return null;
}

/** Throws a `TypeError` for a secrets list that is not even a list: a configuration mistake. */
export function assertSecretsList(secrets: unknown): asserts secrets is readonly unknown[] {
  if (!Array.isArray(secrets) || secrets.length === 0) throw new TypeError(SECRETS_LIST_PROBLEM);
}

// Secrets are checked and turned into key objects once, not on every request: a key object spares
// the HMAC the string conversion. Only configured secrets land here, so a small bound is plenty;
// the cache starts over past it.
const keyCache = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 32;

/**
 * The key object of an HMAC secret, checked once and cached. Throws a `TypeError` that names the
 * secret's position in the list (never the secret) when it is not a string of 32 bytes or more.
 */
export function hmacKey(secret: unknown, index = 0): KeyObject {
  const cached = typeof secret === 'string' ? keyCache.get(secret) : undefined;
  if (cached !== undefined) return cached;
  const problem = describeSecretProblem(secret, index);
  if (problem !== null) throw new TypeError(problem);
  if (keyCache.size >= MAX_CACHED_KEYS) keyCache.clear();
  const key = createSecretKey(Buffer.from(secret as string, 'utf8'));
  keyCache.set(secret as string, key);
  return key;
}

/** HMAC-SHA256 of a UTF-8 message, as raw bytes. */
export const hmacSha256 = (key: KeyObject | Buffer, message: string): Buffer =>
  createHmac('sha256', key).update(message).digest();

/** HMAC-SHA256 of a UTF-8 message, as lowercase hex: the form every signed value travels in. */
export const hmacSha256Hex = (key: KeyObject | Buffer, message: string): string =>
  createHmac('sha256', key).update(message).digest('hex');

/** Compares two byte strings in constant time; different lengths are unequal, not an error. */
export const bytesEqual = (given: Uint8Array, expected: Uint8Array): boolean =>
  given.length === expected.length && timingSafeEqual(given, expected);

/**
 * Whether a value is a 64-digit hex string (either case), the shape of an HMAC-SHA256 a client
 * sends. It looks at the sender's value only, so it may stop at the first bad digit.
 */
export function isHexDigest(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== HEX_DIGEST_LENGTH) return false;
  for (let index = 0; index < HEX_DIGEST_LENGTH; index++) {
    const code = value.charCodeAt(index);
    const isDigit = code >= 0x30 && code <= 0x39;
    const isLetter = (code >= 0x61 && code <= 0x66) || (code >= 0x41 && code <= 0x46);
    if (!isDigit && !isLetter) return false;
  }
  return true;
}

/**
 * Whether a 64-character string a client sent equals a hex digest computed here, in constant time
 * with respect to the digest: the loop visits all 64 characters, with no branch on their values.
 * Equal to a lowercase hex digest, the given string is one, so no other check is needed first.
 *
 * Comparing the text in JavaScript keeps verification close to the speed of the bare HMAC, where
 * decoding the hex into buffers for `timingSafeEqual` costs a quarter of an HMAC or more
 * (bench/identity.ts measures both ways).
 */
function sameHexDigest(given: string, expectedHex: string): boolean {
  if (given.length !== HEX_DIGEST_LENGTH || expectedHex.length !== HEX_DIGEST_LENGTH) return false;
  let difference = 0;
  for (let index = 0; index < HEX_DIGEST_LENGTH; index++) {
    difference |= given.charCodeAt(index) ^ expectedHex.charCodeAt(index);
  }
  return difference === 0;
}

/**
 * Compares a hash a client sent (any value; hex digits in either case) with the lowercase hex
 * digest computed here, in constant time with respect to the computed digest. Answers `false`
 * for anything that is not 64 hex digits.
 */
export const hexDigestsEqual = (given: unknown, expectedHex: string): boolean =>
  typeof given === 'string' &&
  // Lowercase, as signers send it, one pass decides; only a miss looks at the shape and case.
  (sameHexDigest(given, expectedHex) ||
    (isHexDigest(given) && sameHexDigest(given.toLowerCase(), expectedHex)));

export type SecretSearch = number | 'malformed' | 'mismatch';

// A server verifies against the same configured list on every request: the keys of the list used
// last are kept, with a copy of its entries, so the next call with that list looks none up. One
// list only: a caller that builds a new list per call pays a lookup per secret, as without it.
let lastList: readonly unknown[] | undefined;
let lastEntries: readonly unknown[] = [];
let lastKeys: readonly KeyObject[] = [];

const sameEntries = (seen: readonly unknown[], secrets: readonly unknown[]): boolean => {
  if (seen.length !== secrets.length) return false;
  for (let index = 0; index < secrets.length; index++) {
    if (seen[index] !== secrets[index]) return false;
  }
  return true;
};

/**
 * The key objects of a secrets list, every entry checked (a `TypeError` naming the first unusable
 * one's position, on every call). The entries are compared with those seen last, so a list changed
 * in place (a secret rotated out) is never answered with old keys.
 */
function hmacKeysOf(secrets: readonly unknown[]): readonly KeyObject[] {
  if (secrets === lastList && sameEntries(lastEntries, secrets)) return lastKeys;
  const keys = secrets.map((secret, index) => hmacKey(secret, index));
  lastList = secrets;
  lastEntries = [...secrets];
  lastKeys = keys;
  return keys;
}

/** The first of the keys from `from` to `to` whose HMAC of `signedText` is `givenHex`, or -1. */
function scanKeys(
  givenHex: string,
  signedText: string,
  keys: readonly KeyObject[],
  from: number,
  to: number,
): number {
  for (let index = from; index <= to; index++) {
    if (sameHexDigest(givenHex, hmacSha256Hex(keys[index]!, signedText))) return index;
  }
  return -1;
}

/**
 * Which of the secrets (those from `from` to `to`) made the hex HMAC a client sent over
 * `signedText`: its index, `mismatch` when none did, or `malformed` when the hash is not 64 hex
 * digits. A lowercase hash, as every signer sends it, costs one HMAC per secret tried, up to the
 * one that made it, and no other pass over it (equal to a lowercase hex digest, it is one); an
 * uppercase one is accepted too, at the price of a second pass when the first finds nothing.
 * Every secret in the list is checked, even those not tried, so a bad one fails every call alike.
 */
export function findSigningSecret(
  givenHex: unknown,
  signedText: string,
  secrets: readonly unknown[],
  from = 0,
  to = secrets.length - 1,
): SecretSearch {
  const keys = hmacKeysOf(secrets);
  const shaped = typeof givenHex === 'string' && givenHex.length === HEX_DIGEST_LENGTH;
  const matched = shaped ? scanKeys(givenHex, signedText, keys, from, to) : -1;
  if (matched !== -1) return matched;
  if (!isHexDigest(givenHex)) return 'malformed';
  const lowerCase = givenHex.toLowerCase();
  if (lowerCase === givenHex) return 'mismatch';
  const retried = scanKeys(lowerCase, signedText, keys, from, to);
  return retried === -1 ? 'mismatch' : retried;
}
