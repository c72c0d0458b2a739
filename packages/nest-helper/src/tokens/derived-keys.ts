import { createHash, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';

/**
 * Keys for helperkit's own tokens, derived from the HMAC secrets with HKDF-SHA256 and a label per
 * purpose, so a token's key is never the identity secret itself and a leaked derived key cannot
 * sign identities (docs/security-model.md, "Tokens").
 */
export type KeyPurpose = 'session token' | 'chat link' | 'attachment link';

const SALT = 'helperkit';

export function deriveKey(secret: string, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, SALT, `helperkit ${purpose} v1`, 32));
}

export const deriveKeys = (secrets: readonly string[], purpose: KeyPurpose): Buffer[] =>
  secrets.map((secret) => deriveKey(secret, purpose));

/**
 * A derived key's public name, the JWT `kid`: a short hash of the key, so it names the key without
 * revealing it, and a key used by several mailboxes has one name.
 */
export const keyIdOf = (key: Buffer): string =>
  createHash('sha256').update(key).digest('base64url').slice(0, 16);

/**
 * A key as a key object, which is how token libraries should get it: jsonwebtoken turns a Buffer
 * into a key on every call, and first tries it as a private key, which costs an exception.
 */
export const asKeyObject = (key: Buffer): KeyObject => createSecretKey(key);
