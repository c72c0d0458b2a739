import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Both sides are hashed with a key that exists only in this process before the comparison: the
// digests always have the same length, so neither the comparison's time nor an early length
// mismatch tells an attacker anything about the expected value, not even its length.
const COMPARISON_KEY = randomBytes(32);

const digest = (value: string): Buffer =>
  createHmac('sha256', COMPARISON_KEY).update(value, 'utf8').digest();

/** Compares a credential a client sent with the expected one, in constant time. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = digest(given);
  const b = digest(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
