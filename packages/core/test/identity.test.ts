import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  DEFAULT_FUTURE_SKEW_MS,
  DEFAULT_TOLERANCE_MS,
  describeSecretsProblem,
  explainMalformedIdentity,
  signIdentity,
  verifyIdentity,
} from '../src/node.js';

const SECRET = 'a'.repeat(32) + '-current';
const PREVIOUS = 'b'.repeat(32) + '-previous';
const NOW = 1_767_225_600_000; // 2026-01-01T00:00:00Z

const emailArb = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
  .filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s))
  .map((local) => `${local}@example.com`)
  .filter((email) => [...email].length <= 254);
const timestampArb = fc.integer({
  min: NOW - DEFAULT_TOLERANCE_MS,
  max: NOW + DEFAULT_FUTURE_SKEW_MS,
});

describe('signIdentity', () => {
  it('hashes `${email}:${timestamp}` as lowercase hex HMAC-SHA256', () => {
    const signed = signIdentity({ email: 'ann@example.com', timestamp: NOW }, SECRET);
    expect(signed).toEqual({
      email: 'ann@example.com',
      timestamp: NOW,
      emailHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('signs the email exactly as given, without trimming or case change', () => {
    const plain = signIdentity({ email: 'Ann@Example.com', timestamp: NOW }, SECRET);
    const lower = signIdentity({ email: 'ann@example.com', timestamp: NOW }, SECRET);
    expect(plain.email).toBe('Ann@Example.com');
    expect(plain.emailHash).not.toBe(lower.emailHash);
  });

  it('uses the current time when no timestamp is given', () => {
    const before = Date.now();
    const { timestamp } = signIdentity({ email: 'ann@example.com' }, SECRET);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Date.now());
  });

  it('refuses a secret shorter than 32 bytes without echoing it', () => {
    expect(() => signIdentity({ email: 'ann@example.com' }, 'short-secret')).toThrow(
      /shorter than 32 bytes/,
    );
    try {
      signIdentity({ email: 'ann@example.com' }, 'short-secret');
    } catch (error) {
      expect(String(error)).not.toContain('short-secret');
    }
  });

  it.each([
    ['an empty email', { email: '', timestamp: NOW }],
    ['an email with a newline', { email: 'ann@example.com\n', timestamp: NOW }],
    ['an email over 254 characters', { email: `${'a'.repeat(243)}@example.com`, timestamp: NOW }],
    ['a fractional timestamp', { email: 'ann@example.com', timestamp: NOW + 0.5 }],
    ['a negative timestamp', { email: 'ann@example.com', timestamp: -1 }],
  ])('refuses %s', (_label, input) => {
    expect(() => signIdentity(input, SECRET)).toThrow(TypeError);
  });
});

describe('verifyIdentity', () => {
  it('accepts a fresh identity signed with the current secret', () => {
    const signed = signIdentity({ email: 'ann@example.com', timestamp: NOW }, SECRET);
    expect(verifyIdentity(signed, [SECRET, PREVIOUS], { now: NOW })).toEqual({
      ok: true,
      email: 'ann@example.com',
      secretIndex: 0,
    });
  });

  it('accepts an identity signed with a previous secret and says which one matched', () => {
    const signed = signIdentity({ email: 'ann@example.com', timestamp: NOW }, PREVIOUS);
    expect(verifyIdentity(signed, [SECRET, PREVIOUS], { now: NOW })).toMatchObject({
      ok: true,
      secretIndex: 1,
    });
    expect(verifyIdentity(signed, [SECRET], { now: NOW })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('accepts an uppercase hash and a timestamp given as a decimal string', () => {
    const signed = signIdentity({ email: 'ann@example.com', timestamp: NOW }, SECRET);
    const input = { ...signed, emailHash: signed.emailHash.toUpperCase(), timestamp: String(NOW) };
    expect(verifyIdentity(input, [SECRET], { now: NOW })).toMatchObject({ ok: true });
  });

  it('holds the tolerance boundaries exactly to the millisecond', () => {
    const sign = (timestamp: number) =>
      signIdentity({ email: 'ann@example.com', timestamp }, SECRET);
    const oldest = NOW - DEFAULT_TOLERANCE_MS;
    const newest = NOW + DEFAULT_FUTURE_SKEW_MS;
    expect(verifyIdentity(sign(oldest), [SECRET], { now: NOW }).ok).toBe(true);
    expect(verifyIdentity(sign(oldest - 1), [SECRET], { now: NOW })).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyIdentity(sign(newest), [SECRET], { now: NOW }).ok).toBe(true);
    expect(verifyIdentity(sign(newest + 1), [SECRET], { now: NOW })).toEqual({
      ok: false,
      reason: 'future',
    });
  });

  it('honours custom tolerances', () => {
    const signed = signIdentity({ email: 'ann@example.com', timestamp: NOW - 1001 }, SECRET);
    expect(verifyIdentity(signed, [SECRET], { now: NOW, toleranceMs: 1000 })).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(verifyIdentity(signed, [SECRET], { now: NOW, toleranceMs: 1001 }).ok).toBe(true);
    const ahead = signIdentity({ email: 'ann@example.com', timestamp: NOW + 11 }, SECRET);
    expect(verifyIdentity(ahead, [SECRET], { now: NOW, futureSkewMs: 10 })).toEqual({
      ok: false,
      reason: 'future',
    });
  });

  it('says mismatch, not expired, for a forged identity with an old timestamp', () => {
    const forged = {
      email: 'ann@example.com',
      timestamp: NOW - 2 * DEFAULT_TOLERANCE_MS,
      emailHash: '0'.repeat(64),
    };
    expect(verifyIdentity(forged, [SECRET], { now: NOW })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  const valid = signIdentity({ email: 'ann@example.com', timestamp: NOW }, SECRET);
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'ann@example.com'],
    ['an array', [valid]],
    ['a missing email', { timestamp: NOW, emailHash: valid.emailHash }],
    ['an empty email', { ...valid, email: '' }],
    ['an email over 254 characters', { ...valid, email: `${'a'.repeat(243)}@example.com` }],
    ['an email with a control character', { ...valid, email: 'ann@example.com\u0000' }],
    ['an email with a CR/LF', { ...valid, email: 'ann@example.com\r\nBcc: x@example.com' }],
    ['a numeric email', { ...valid, email: 42 }],
    ['a missing timestamp', { email: valid.email, emailHash: valid.emailHash }],
    ['a fractional timestamp', { ...valid, timestamp: NOW + 0.25 }],
    ['a negative timestamp', { ...valid, timestamp: -5 }],
    ['a NaN timestamp', { ...valid, timestamp: Number.NaN }],
    ['an infinite timestamp', { ...valid, timestamp: Number.POSITIVE_INFINITY }],
    ['an absurd timestamp', { ...valid, timestamp: Number.MAX_SAFE_INTEGER }],
    [
      'a timestamp in seconds as text with a decimal point',
      { ...valid, timestamp: '1767225600.5' },
    ],
    ['a timestamp string with a sign', { ...valid, timestamp: '+1767225600000' }],
    ['a missing hash', { email: valid.email, timestamp: NOW }],
    ['a non-hex hash', { ...valid, emailHash: 'z'.repeat(64) }],
    ['a short hash', { ...valid, emailHash: valid.emailHash.slice(0, 63) }],
    ['a long hash', { ...valid, emailHash: `${valid.emailHash}0` }],
    [
      'a base64 hash',
      { ...valid, emailHash: Buffer.from(valid.emailHash, 'hex').toString('base64') },
    ],
  ])('says malformed, without throwing, for %s', (_label, input) => {
    expect(verifyIdentity(input, [SECRET], { now: NOW })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('throws a clear error for an unusable secrets list, a configuration mistake', () => {
    expect(() => verifyIdentity(valid, [], { now: NOW })).toThrow(/non-empty array/);
    expect(() => verifyIdentity(valid, [SECRET, 'short'], { now: NOW })).toThrow(
      /hmacSecrets\[1\] is shorter/,
    );
  });

  it('throws for a bad secret in the list every time, even when an earlier one matched', () => {
    const secrets = [SECRET, 'short'];
    for (let call = 0; call < 3; call++) {
      expect(() => verifyIdentity(valid, secrets, { now: NOW })).toThrow(
        /hmacSecrets\[1\] is shorter/,
      );
    }
  });

  it('refuses a secret rotated out of a list changed in place, and accepts one rotated in', () => {
    const secrets = [SECRET, PREVIOUS];
    const signedWithPrevious = signIdentity({ email: 'ada@example.com', timestamp: NOW }, PREVIOUS);
    expect(verifyIdentity(signedWithPrevious, secrets, { now: NOW })).toMatchObject({ ok: true });
    secrets.pop();
    expect(verifyIdentity(signedWithPrevious, secrets, { now: NOW })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    const next = 'c'.repeat(32) + '-next';
    secrets[0] = next;
    expect(verifyIdentity(valid, secrets, { now: NOW })).toEqual({ ok: false, reason: 'mismatch' });
    const signedWithNext = signIdentity({ email: 'ada@example.com', timestamp: NOW }, next);
    expect(verifyIdentity(signedWithNext, secrets, { now: NOW })).toEqual({
      ok: true,
      email: 'ada@example.com',
      secretIndex: 0,
    });
  });
});

describe('describeSecretsProblem', () => {
  it('accepts 32 bytes, counting UTF-8 bytes rather than characters', () => {
    expect(describeSecretsProblem(['x'.repeat(32)])).toBeNull();
    expect(describeSecretsProblem(['é'.repeat(16)])).toBeNull();
    expect(describeSecretsProblem(['x'.repeat(31)])).toMatch(/shorter than 32 bytes/);
  });

  it.each([[undefined], [[]], ['a'.repeat(40)], [[42]]])('refuses %p', (secrets) => {
    expect(describeSecretsProblem(secrets)).toEqual(expect.any(String));
  });
});

describe('properties', () => {
  it('any identity it signs verifies, with the index of the signing secret', () => {
    fc.assert(
      fc.property(emailArb, timestampArb, fc.boolean(), (email, timestamp, usePrevious) => {
        const signed = signIdentity({ email, timestamp }, usePrevious ? PREVIOUS : SECRET);
        const result = verifyIdentity(signed, [SECRET, PREVIOUS], { now: NOW });
        expect(result).toEqual({ ok: true, email, secretIndex: usePrevious ? 1 : 0 });
      }),
    );
  });

  it('a single changed character of the email fails', () => {
    fc.assert(
      fc.property(
        emailArb,
        fc.nat(),
        fc.constantFrom('x', 'Y', '0', '.', 'é'),
        (email, at, replacement) => {
          const signed = signIdentity({ email, timestamp: NOW }, SECRET);
          const chars = [...email];
          const index = at % chars.length;
          fc.pre(chars[index] !== replacement);
          chars[index] = replacement;
          expect(
            verifyIdentity({ ...signed, email: chars.join('') }, [SECRET], { now: NOW }),
          ).toEqual({
            ok: false,
            reason: 'mismatch',
          });
        },
      ),
    );
  });

  it('any other timestamp within the tolerance fails', () => {
    fc.assert(
      fc.property(emailArb, timestampArb, timestampArb, (email, signedAt, claimedAt) => {
        fc.pre(signedAt !== claimedAt);
        const signed = signIdentity({ email, timestamp: signedAt }, SECRET);
        expect(verifyIdentity({ ...signed, timestamp: claimedAt }, [SECRET], { now: NOW })).toEqual(
          {
            ok: false,
            reason: 'mismatch',
          },
        );
      }),
    );
  });

  it('a single changed hex digit of the hash fails', () => {
    fc.assert(
      fc.property(
        emailArb,
        fc.integer({ min: 0, max: 63 }),
        fc.integer({ min: 1, max: 15 }),
        (email, at, delta) => {
          const signed = signIdentity({ email, timestamp: NOW }, SECRET);
          const digit = ((parseInt(signed.emailHash[at]!, 16) + delta) % 16).toString(16);
          const emailHash = signed.emailHash.slice(0, at) + digit + signed.emailHash.slice(at + 1);
          expect(verifyIdentity({ ...signed, emailHash }, [SECRET], { now: NOW })).toEqual({
            ok: false,
            reason: 'mismatch',
          });
        },
      ),
    );
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = verifyIdentity(input, [SECRET], { now: NOW });
        expect(result.ok).toBe(false);
      }),
    );
  });

  it('the tolerance boundaries hold to the millisecond for any tolerance', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10 * DEFAULT_TOLERANCE_MS }),
        fc.integer({ min: 0, max: 10 * DEFAULT_FUTURE_SKEW_MS }),
        (toleranceMs, futureSkewMs) => {
          const verify = (timestamp: number) =>
            verifyIdentity(
              signIdentity({ email: 'ann@example.com', timestamp }, SECRET),
              [SECRET],
              {
                now: NOW,
                toleranceMs,
                futureSkewMs,
              },
            );
          expect(verify(NOW - toleranceMs).ok).toBe(true);
          expect(verify(NOW - toleranceMs - 1)).toEqual({ ok: false, reason: 'expired' });
          expect(verify(NOW + futureSkewMs).ok).toBe(true);
          expect(verify(NOW + futureSkewMs + 1)).toEqual({ ok: false, reason: 'future' });
        },
      ),
    );
  });
});

describe('explainMalformedIdentity', () => {
  it('names each malformed field', () => {
    const fields = (input: unknown) =>
      explainMalformedIdentity(input).map(({ field, code }) => `${field}:${code}`);
    expect(fields({ email: '', timestamp: 1.5, emailHash: 'xyz' })).toEqual([
      'email:too_short',
      'timestamp:wrong_type',
      'emailHash:wrong_type',
    ]);
    expect(fields({ emailHash: 'a'.repeat(64) })).toEqual(['email:required', 'timestamp:required']);
    expect(fields({ email: 'a@b.c\n', timestamp: NOW, emailHash: 'g'.repeat(64) })).toEqual([
      'email:control_characters',
      'emailHash:wrong_type',
    ]);
    expect(fields(42)).toEqual([':wrong_type']);
  });

  it('finds nothing wrong with a well-formed identity, signed or not', () => {
    expect(
      explainMalformedIdentity({ email: 'a@b.c', timestamp: NOW, emailHash: 'f'.repeat(64) }),
    ).toEqual([]);
  });

  it('explains every input that verifyIdentity calls malformed', () => {
    fc.assert(
      fc.property(
        fc.record({
          email: fc.oneof(emailArb, fc.string(), fc.constant(undefined), fc.integer()),
          timestamp: fc.oneof(timestampArb, fc.double(), fc.string(), fc.constant(undefined)),
          emailHash: fc.oneof(
            fc.stringMatching(/^[0-9a-f]{64}$/),
            fc.string(),
            fc.constant(undefined),
          ),
        }),
        (input) => {
          const malformed =
            !verifyIdentity(input, [SECRET], { now: NOW }).ok &&
            (verifyIdentity(input, [SECRET], { now: NOW }) as { reason: string }).reason ===
              'malformed';
          expect(explainMalformedIdentity(input).length > 0).toBe(malformed);
        },
      ),
    );
  });
});
