import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  canonicalMetadata,
  metadataSigningString,
  signIdentity,
  verifyIdentity,
  verifyMetadataHash,
  type CustomerMetadata,
} from '../src/node.js';
import { SIGNED_METADATA_VECTORS, VECTOR_SECRET } from './vectors/signed-metadata.js';

const SECRET = 'c'.repeat(32) + '-current';
const PREVIOUS = 'p'.repeat(32) + '-previous';
const NOW = 1_767_225_600_000;
const EMAIL = 'ann@example.com';

describe('the shipped test vectors', () => {
  it.each(SIGNED_METADATA_VECTORS.map((vector) => [vector.description, vector] as const))(
    '%s',
    (_description, vector) => {
      const { email, timestamp, metadata } = vector;
      expect(canonicalMetadata(metadata)).toBe(vector.canonical);
      expect(metadataSigningString(email, timestamp, metadata)).toBe(vector.signedString);
      expect(vector.signedString).toBe(`metadata:v1:${email}:${timestamp}:${vector.canonical}`);
      const signed = signIdentity({ email, timestamp, metadata }, VECTOR_SECRET);
      expect(signed).toEqual({
        email,
        timestamp,
        emailHash: vector.emailHash,
        metadata,
        metadataHash: vector.metadataHash,
      });
      expect(verifyMetadataHash(vector, [VECTOR_SECRET])).toEqual({ ok: true, secretIndex: 0 });
    },
  );

  it('two vectors that differ only in key order share their canonical text and hash', () => {
    const [first, reordered] = SIGNED_METADATA_VECTORS;
    expect(JSON.stringify(first!.metadata)).not.toBe(JSON.stringify(reordered!.metadata));
    expect(reordered!.canonical).toBe(first!.canonical);
    expect(reordered!.metadataHash).toBe(first!.metadataHash);
  });
});

describe('signIdentity with metadata', () => {
  const metadata = { name: '  Ann Lee ', value: 10, context: 'VIP' };

  it('signs identity and metadata with one timestamp and returns the metadata as given', () => {
    const signed = signIdentity({ email: EMAIL, timestamp: NOW, metadata }, SECRET);
    expect(signed.metadata).toBe(metadata);
    expect(signed.emailHash).toBe(signIdentity({ email: EMAIL, timestamp: NOW }, SECRET).emailHash);
    expect(verifyIdentity(signed, [SECRET], { now: NOW })).toMatchObject({ ok: true });
    expect(verifyMetadataHash(signed, [SECRET])).toEqual({ ok: true, secretIndex: 0 });
  });

  it('signs the largest metadata the server accepts, within the canonical size limit', () => {
    const url = `https://example.com/${'p'.repeat(2048 - 20)}`;
    const largest = {
      value: Number.MAX_VALUE,
      name: '山'.repeat(255),
      context: '😀'.repeat(2000),
      links: Object.fromEntries(
        Array.from({ length: 20 }, (_, index) => [`${index}`.padEnd(64, '\u00e9'), url]),
      ),
    };
    const signed = signIdentity({ email: EMAIL, timestamp: NOW, metadata: largest }, SECRET);
    expect(verifyMetadataHash(signed, [SECRET])).toEqual({ ok: true, secretIndex: 0 });
  });

  it('leaves metadataHash out when there is no metadata', () => {
    expect(Object.keys(signIdentity({ email: EMAIL, timestamp: NOW }, SECRET))).toEqual([
      'email',
      'timestamp',
      'emailHash',
    ]);
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown field', { plan: 'gold' }, /plan is not a known field/],
    ['a negative value', { value: -1 }, /value must be zero or more/],
    ['a javascript: link', { links: { x: 'javascript:alert(1)' } }, /links\.x/],
    ['a name with a lone surrogate', { name: 'Ann \ud800' }, /lone UTF-16 surrogate/],
  ])('refuses, with a clear TypeError, metadata with %s', (_label, bad, message) => {
    const sign = () =>
      signIdentity({ email: EMAIL, timestamp: NOW, metadata: bad as CustomerMetadata }, SECRET);
    expect(sign).toThrow(TypeError);
    expect(sign).toThrow(message);
  });
});

describe('verifyMetadataHash', () => {
  const signed = signIdentity(
    {
      email: EMAIL,
      timestamp: NOW,
      metadata: { value: 500, links: { CRM: 'https://crm.example/1' } },
    },
    SECRET,
  );

  it('verifies with a previous secret after a rotation, and says which one', () => {
    const old = signIdentity({ email: EMAIL, timestamp: NOW, metadata: { value: 1 } }, PREVIOUS);
    expect(verifyMetadataHash(old, [SECRET, PREVIOUS])).toEqual({ ok: true, secretIndex: 1 });
    expect(verifyMetadataHash(old, [SECRET, PREVIOUS], { secretIndex: 1 })).toEqual({
      ok: true,
      secretIndex: 1,
    });
    expect(verifyMetadataHash(old, [SECRET, PREVIOUS], { secretIndex: 0 })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyMetadataHash(old, [SECRET])).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('follows the identity: the secretIndex that verified the identity verifies its metadata', () => {
    const old = signIdentity({ email: EMAIL, timestamp: NOW, metadata: { value: 1 } }, PREVIOUS);
    const identity = verifyIdentity(old, [SECRET, PREVIOUS], { now: NOW });
    if (!identity.ok) throw new Error('the identity should verify');
    expect(
      verifyMetadataHash(old, [SECRET, PREVIOUS], { secretIndex: identity.secretIndex }).ok,
    ).toBe(true);
  });

  it('accepts an uppercase hash and a timestamp given as a decimal string', () => {
    const input = {
      ...signed,
      metadataHash: signed.metadataHash!.toUpperCase(),
      timestamp: String(NOW),
    };
    expect(verifyMetadataHash(input, [SECRET])).toEqual({ ok: true, secretIndex: 0 });
    const old = signIdentity({ email: EMAIL, timestamp: NOW, metadata: { value: 1 } }, PREVIOUS);
    const upper = { ...old, metadataHash: old.metadataHash!.toUpperCase() };
    expect(verifyMetadataHash(upper, [SECRET, PREVIOUS])).toEqual({ ok: true, secretIndex: 1 });
  });

  it('binds the hash to the email and the timestamp of the identity', () => {
    expect(verifyMetadataHash({ ...signed, email: 'bob@example.com' }, [SECRET])).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyMetadataHash({ ...signed, timestamp: NOW + 1 }, [SECRET])).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('is not fooled by the emailHash: the identity signature does not sign metadata', () => {
    expect(verifyMetadataHash({ ...signed, metadataHash: signed.emailHash }, [SECRET])).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a missing hash', { ...signed, metadataHash: undefined }],
    ['a non-hex hash', { ...signed, metadataHash: 'g'.repeat(64) }],
    ['a short hash', { ...signed, metadataHash: signed.metadataHash!.slice(1) }],
    [
      'a hash with a non-ASCII digit',
      { ...signed, metadataHash: `${signed.metadataHash!.slice(1)}\u0660` },
    ],
    ['metadata that is an array', { ...signed, metadata: [1] }],
    ['metadata that is a string', { ...signed, metadata: '{"value":500}' }],
    ['missing metadata', { ...signed, metadata: undefined }],
    ['metadata with a lone surrogate', { ...signed, metadata: { name: '\udc00' } }],
    ['metadata with an infinite number', { ...signed, metadata: { value: Infinity } }],
    ['metadata nested 40 levels deep', { ...signed, metadata: nest(40) }],
    ['metadata with 200,000 characters', { ...signed, metadata: { context: 'x'.repeat(200_000) } }],
    ['an empty email', { ...signed, email: '' }],
    ['a fractional timestamp', { ...signed, timestamp: NOW + 0.5 }],
  ])('says malformed, without throwing, for %s', (_label, input) => {
    expect(verifyMetadataHash(input, [SECRET])).toEqual({ ok: false, reason: 'malformed' });
  });

  it('throws a clear error for a secret index that is not in the list', () => {
    expect(() => verifyMetadataHash(signed, [SECRET], { secretIndex: 1 })).toThrow(
      /secretIndex must be the index of one of the 1 secrets/,
    );
    expect(() => verifyMetadataHash(signed, [SECRET], { secretIndex: -1 })).toThrow(TypeError);
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (metadata, hash) => {
        expect(verifyMetadataHash({ ...signed, metadata }, [SECRET]).ok).toBe(false);
        expect(verifyMetadataHash({ ...signed, metadataHash: hash }, [SECRET]).ok).toBe(false);
      }),
    );
  });
});

function nest(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let level = 0; level < depth; level++) value = { links: value };
  return value;
}

// Metadata the server accepts, so signIdentity signs it.
const noControl = (text: string) => !/[\u0000-\u001f\u007f-\u009f]/.test(text);
const nameArb = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 40 })
  .filter((text) => noControl(text) && text.trim() !== '');
const linkKeyArb = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
  .filter((text) => noControl(text) && [...text].length <= 64);
const metadataArb: fc.Arbitrary<CustomerMetadata> = fc.record(
  {
    value: fc.double({ min: 0, max: 1e12, noNaN: true }),
    name: nameArb,
    links: fc.dictionary(linkKeyArb, fc.webUrl(), { maxKeys: 5 }),
    context: fc.string({ unit: 'grapheme', maxLength: 200 }).filter(noControl),
  },
  { requiredKeys: [] },
);

type Tamper = (metadata: CustomerMetadata) => CustomerMetadata | null;
// Each answers changed metadata, or null when the generated metadata lacks what it changes.
const tampers: Record<string, Tamper> = {
  value: (m) => (m.value === undefined ? null : { ...m, value: m.value + 1 }),
  name: (m) => (m.name === undefined ? null : { ...m, name: `${m.name}x` }),
  context: (m) => (m.context === undefined ? null : { ...m, context: `${m.context} ` }),
  'a link key': (m) => {
    const [key, url] = Object.entries(m.links ?? {})[0] ?? [];
    if (key === undefined || `${key}x` in m.links!) return null;
    const links = Object.fromEntries(Object.entries(m.links!).filter(([name]) => name !== key));
    return { ...m, links: { ...links, [`${key}x`]: url! } };
  },
  'a link URL': (m) => {
    const [key, url] = Object.entries(m.links ?? {})[0] ?? [];
    return key === undefined ? null : { ...m, links: { ...m.links, [key]: `${url}x` } };
  },
  'a field removed': (m) => {
    const [field] = Object.keys(m);
    if (field === undefined) return null;
    const copy: Record<string, unknown> = { ...m };
    delete copy[field];
    return copy as CustomerMetadata;
  },
  'a field added': (m) => (m.context === undefined ? { ...m, context: '' } : null),
};

describe('properties', () => {
  it('any metadata it signs verifies, with the secret that signed it', () => {
    fc.assert(
      fc.property(metadataArb, fc.boolean(), (metadata, usePrevious) => {
        const signed = signIdentity(
          { email: EMAIL, timestamp: NOW, metadata },
          usePrevious ? PREVIOUS : SECRET,
        );
        // As it travels: through JSON, as the browser sends it.
        const received: unknown = JSON.parse(JSON.stringify(signed));
        expect(verifyMetadataHash(received, [SECRET, PREVIOUS])).toEqual({
          ok: true,
          secretIndex: usePrevious ? 1 : 0,
        });
      }),
    );
  });

  it('a change to any one field breaks the hash', () => {
    fc.assert(
      fc.property(metadataArb, fc.constantFrom(...Object.keys(tampers)), (metadata, tamperName) => {
        const changed = tampers[tamperName]!(metadata);
        fc.pre(changed !== null);
        const signed = signIdentity({ email: EMAIL, timestamp: NOW, metadata }, SECRET);
        expect(verifyMetadataHash({ ...signed, metadata: changed }, [SECRET])).toEqual({
          ok: false,
          reason: 'mismatch',
        });
      }),
    );
  });
});
