import type { KeyObject } from 'node:crypto';
import { canonicalMetadata } from './canonical.js';
import { isPlainObject } from './errors.js';
import { assertSecretsList, findSigningSecret, hmacSha256Hex } from './hmac.js';
import { isAcceptableEmail, parseTimestamp } from './identity-fields.js';

// Customer metadata signed together with the identity, with the same secret and timestamp, so
// a browser can carry it without being able to change it. See docs/protocol.md.

/** The text a `metadataHash` signs: `metadata:v1:<email>:<timestamp>:<RFC 8785 JSON>`. */
export const metadataSigningString = (email: string, timestamp: number, metadata: unknown) =>
  `metadata:v1:${email}:${timestamp}:${canonicalMetadata(metadata)}`;

/** Lowercase hex HMAC-SHA256 of {@link metadataSigningString} with an HMAC key. */
export const metadataHashWithKey = (
  key: KeyObject,
  email: string,
  timestamp: number,
  metadata: unknown,
): string => hmacSha256Hex(key, metadataSigningString(email, timestamp, metadata));

/** What a signed metadata check reads: the fields of the signed identity it came with. */
export interface SignedMetadataInput {
  email: string;
  timestamp: number | string;
  /** The metadata exactly as sent, before any trimming or validation. */
  metadata: unknown;
  metadataHash: string;
}

export type MetadataHashVerification =
  | { readonly ok: true; readonly secretIndex: number }
  | { readonly ok: false; readonly reason: 'malformed' | 'mismatch' };

export interface VerifyMetadataHashOptions {
  /**
   * The index of the secret that verified the identity (`verifyIdentity(...).secretIndex`): only
   * that secret is tried, as the two hashes are made together. Without it every secret is tried.
   */
  secretIndex?: number;
}

const MALFORMED = { ok: false, reason: 'malformed' } as const;

/**
 * Verifies the `metadataHash` of signed customer metadata ({@link SignedMetadataInput}) in
 * constant time. Never throws on bad input: `malformed` for a hash that is not 64 hex digits, an
 * email or timestamp the identity would refuse, or metadata that is not canonical JSON;
 * `mismatch` when no secret made the hash.
 *
 * It checks no timestamp freshness: verify the identity first (`verifyIdentity`), then its
 * metadata with the identity's `secretIndex`. Throws a `TypeError` only for an unusable secrets
 * list or index, which is a configuration mistake.
 */
export function verifyMetadataHash(
  input: unknown,
  secrets: readonly string[],
  { secretIndex }: VerifyMetadataHashOptions = {},
): MetadataHashVerification {
  assertSecretsList(secrets);
  if (
    secretIndex !== undefined &&
    !(Number.isInteger(secretIndex) && secretIndex >= 0 && secretIndex < secrets.length)
  ) {
    throw new TypeError(`secretIndex must be the index of one of the ${secrets.length} secrets.`);
  }
  if (!isPlainObject(input)) return MALFORMED;
  const { email, metadata, metadataHash } = input;
  const timestamp = parseTimestamp(input.timestamp);
  if (!isAcceptableEmail(email) || timestamp === null) {
    return MALFORMED;
  }
  let signedText: string;
  try {
    signedText = metadataSigningString(email, timestamp, metadata);
  } catch {
    return MALFORMED;
  }

  const found = findSigningSecret(
    metadataHash,
    signedText,
    secrets,
    secretIndex ?? 0,
    secretIndex ?? secrets.length - 1,
  );
  return typeof found === 'string'
    ? { ok: false, reason: found }
    : { ok: true, secretIndex: found };
}
