import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import {
  bytesEqual,
  hexDigestsEqual,
  hmacKey,
  hmacSha256,
  hmacSha256Hex,
  isHexDigest,
} from '../src/node.js';

const SECRET = 's'.repeat(40);

describe('hmacSha256 and hmacSha256Hex', () => {
  it('agree with a bare createHmac, whether keyed with a key object or bytes', () => {
    const expected = createHmac('sha256', SECRET).update('héllo:1').digest('hex');
    expect(hmacSha256Hex(hmacKey(SECRET), 'héllo:1')).toBe(expected);
    expect(hmacSha256Hex(Buffer.from(SECRET), 'héllo:1')).toBe(expected);
    expect(hmacSha256(hmacKey(SECRET), 'héllo:1').toString('hex')).toBe(expected);
  });

  it('hmacKey refuses a short secret by its position, never by its value', () => {
    expect(() => hmacKey('tiny-secret', 2)).toThrow('hmacSecrets[2] is shorter than 32 bytes');
    expect(() => hmacKey('tiny-secret', 2)).not.toThrow(/tiny-secret/);
  });
});

describe('hexDigestsEqual', () => {
  const digest = hmacSha256Hex(hmacKey(SECRET), 'message');

  it('accepts the digest in either case', () => {
    expect(hexDigestsEqual(digest, digest)).toBe(true);
    expect(hexDigestsEqual(digest.toUpperCase(), digest)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['another digest', hmacSha256Hex(hmacKey(SECRET), 'other')],
    ['a prefix', digest.slice(0, 63)],
    ['the digest and more', `${digest}0`],
    ['control characters that lower-case bits would turn into digits', '\u0010'.repeat(64)],
    ['a number', 42],
    ['undefined', undefined],
  ])('refuses %s', (_label, given) => {
    expect(hexDigestsEqual(given, digest)).toBe(false);
  });

  it('refuses any single changed character', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 63 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        (at, replacement) => {
          fc.pre(replacement.toLowerCase() !== digest[at]);
          const changed = digest.slice(0, at) + replacement + digest.slice(at + 1);
          expect(hexDigestsEqual(changed, digest)).toBe(false);
        },
      ),
    );
  });
});

describe('isHexDigest and bytesEqual', () => {
  it('isHexDigest takes 64 hex digits of either case only', () => {
    expect(isHexDigest('aB'.repeat(32))).toBe(true);
    expect(isHexDigest('g'.repeat(64))).toBe(false);
    expect(isHexDigest('a'.repeat(65))).toBe(false);
  });

  it('bytesEqual compares contents and treats different lengths as unequal', () => {
    expect(bytesEqual(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
    expect(bytesEqual(Buffer.from('abc'), Buffer.from('abd'))).toBe(false);
    expect(bytesEqual(Buffer.from('abc'), Buffer.from('abcd'))).toBe(false);
  });
});
