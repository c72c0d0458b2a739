import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { signIdentity, verifyIdentity } from '../src/node.js';

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
