import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';

/**
 * Keys for helperkit's own tokens, derived from the HMAC secrets with HKDF-SHA256 and a label
 * per purpose, so a session token's key is never the identity secret itself and a leaked derived
 * key cannot sign identities. Keys derive from every listed secret, current first: a token signed
 * before a rotation still verifies after it.
 */
export type KeyPurpose = 'session token' | 'chat link';

const SALT = 'helperkit';

export function deriveKeys(secrets: readonly string[], purpose: KeyPurpose): Buffer[] {
  return secrets.map((secret) =>
    Buffer.from(hkdfSync('sha256', secret, SALT, `helperkit ${purpose} v1`, 32)),
  );
}

/**
 * The same keys as key objects, which is how token libraries should get them: jsonwebtoken turns a
 * Buffer into a key on every call, and first tries it as a private key, which costs an exception.
 */
export const deriveKeyObjects = (secrets: readonly string[], purpose: KeyPurpose): KeyObject[] =>
  deriveKeys(secrets, purpose).map((key) => createSecretKey(key));
