import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { signIdentity, verifyIdentity, verifyMetadataHash } from '../src/node.js';
import { SIGNED_METADATA_VECTORS, VECTOR_SECRET } from './vectors/signed-metadata.js';

// Interoperability: a host in any language that follows the documented scheme must produce hashes
// that verify. openssl is the reference implementation a host's developer would reach for.
const opensslHmac = (message: string, secret: string): string => {
  const output = execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret], {
    input: message,
  }).toString();
  const hash = /([0-9a-f]{64})\s*$/.exec(output)?.[1];
  if (hash === undefined) throw new Error(`unexpected openssl output: ${output}`);
  return hash;
};

describe('interoperability with openssl', () => {
  const secret = 'interop-secret-with-at-least-32-bytes!';

  it.each(['ann@example.com', 'Zoë.Ünïcode+tag@exämple.org'])(
    'verifies a hash openssl computed for %s',
    (email) => {
      const timestamp = Date.now();
      const emailHash = opensslHmac(`${email}:${timestamp}`, secret);
      expect(verifyIdentity({ email, timestamp, emailHash }, [secret])).toEqual({
        ok: true,
        email,
        secretIndex: 0,
      });
      expect(signIdentity({ email, timestamp }, secret).emailHash).toBe(emailHash);
    },
  );
});

describe('signed metadata test vectors, checked with openssl', () => {
  it.each(SIGNED_METADATA_VECTORS.map((vector) => [vector.description, vector] as const))(
    '%s',
    (_description, vector) => {
      expect(opensslHmac(vector.signedString, VECTOR_SECRET)).toBe(vector.metadataHash);
      expect(opensslHmac(`${vector.email}:${vector.timestamp}`, VECTOR_SECRET)).toBe(
        vector.emailHash,
      );
    },
  );

  it('verifies metadata a host signed with openssl over the documented string', () => {
    const email = 'ann@example.com';
    const timestamp = Date.now();
    const canonical = '{"context":"Pro plan","links":{"CRM":"https://crm.example/1"},"value":9.5}';
    const metadataHash = opensslHmac(
      `metadata:v1:${email}:${timestamp}:${canonical}`,
      VECTOR_SECRET,
    );
    const metadata: unknown = JSON.parse(
      '{"value":9.50,"links":{"CRM":"https://crm.example/1"},"context":"Pro plan"}',
    );
    expect(
      verifyMetadataHash({ email, timestamp, metadata, metadataHash }, [VECTOR_SECRET]),
    ).toEqual({ ok: true, secretIndex: 0 });
  });
});
