import { randomBytes } from 'node:crypto';
import { bytesEqual, hmacSha256 } from '@helperkit/core/node';

// Both sides are hashed with a key that exists only in this process before the comparison: the
// digests always have the same length, so neither the comparison's time nor an early length
// mismatch tells an attacker anything about the expected value, not even its length.
const COMPARISON_KEY = randomBytes(32);

/** Compares a credential a client sent with the expected one, in constant time. */
export const secretsEqual = (given: string, expected: string): boolean =>
  bytesEqual(hmacSha256(COMPARISON_KEY, given), hmacSha256(COMPARISON_KEY, expected));
