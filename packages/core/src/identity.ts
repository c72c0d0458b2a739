import { isPlainObject, type FieldError } from './errors.js';
import {
  assertSecretsList,
  findSigningSecret,
  HEX_DIGEST_LENGTH,
  hmacKey,
  hmacSha256Hex,
  isHexDigest,
} from './hmac.js';
import {
  EMAIL_RULE_MESSAGE,
  isAcceptableEmail,
  isAcceptableTimestamp,
  parseTimestamp,
  TIMESTAMP_RULE_MESSAGE,
} from './identity-fields.js';
import { validateCustomerMetadata, type CustomerMetadata } from './metadata.js';
import { metadataHashWithKey } from './signed-metadata.js';
import { hasControlCharacters } from './text.js';

// Identity signing and verification. See docs/protocol.md.

/** What the host page hands to the widget: the Helper widget's own field names. */
export interface SignedIdentity {
  email: string;
  /** Milliseconds since the Unix epoch at signing time. */
  timestamp: number;
  /** Lowercase hex HMAC-SHA256 of `${email}:${timestamp}`. */
  emailHash: string;
  /** The customer metadata exactly as signed; send it unchanged. */
  metadata?: CustomerMetadata;
  /** Lowercase hex HMAC-SHA256 of `metadata:v1:${email}:${timestamp}:${canonicalMetadata(metadata)}`. */
  metadataHash?: string;
}

/** What a host signs: the logged-in customer's email and, optionally, what it knows of them. */
export interface IdentityToSign {
  email: string;
  /** Milliseconds since the Unix epoch; defaults to now. */
  timestamp?: number;
  metadata?: CustomerMetadata;
}

export type IdentityFailureReason = 'malformed' | 'expired' | 'future' | 'mismatch';

export type IdentityVerification =
  | { readonly ok: true; readonly email: string; readonly secretIndex: number }
  | { readonly ok: false; readonly reason: IdentityFailureReason };

export interface VerifyIdentityOptions {
  /** How old a timestamp may be, in ms (default 1 hour). Older is `expired`. */
  toleranceMs?: number;
  /** How far ahead of `now` a timestamp may be, in ms (default 5 minutes). Further is `future`. */
  futureSkewMs?: number;
  /** The current time in ms; defaults to `Date.now()`. */
  now?: number;
}

export const DEFAULT_TOLERANCE_MS = 60 * 60 * 1000;
export const DEFAULT_FUTURE_SKEW_MS = 5 * 60 * 1000;

const identitySigningString = (email: string, timestamp: number) => `${email}:${timestamp}`;

function assertSignableMetadata(metadata: unknown): void {
  const validation = validateCustomerMetadata(metadata);
  if (!validation.ok) {
    const problems = validation.errors.map((error) => error.message).join(' ');
    throw new TypeError(`metadata would be refused by the server: ${problems}`);
  }
}

/**
 * Signs an identity for the widget with the mailbox's current HMAC secret, and its customer
 * metadata when given, with the same secret and timestamp; the metadata is returned exactly as
 * given, for the browser to send unchanged.
 *
 * Throws a `TypeError` for an email or timestamp that could never verify, metadata the server
 * would refuse, or a short secret.
 */
export function signIdentity(
  { email, timestamp = Date.now(), metadata }: IdentityToSign,
  secret: string,
): SignedIdentity {
  const key = hmacKey(secret);
  if (!isAcceptableEmail(email)) throw new TypeError(EMAIL_RULE_MESSAGE);
  if (!isAcceptableTimestamp(timestamp)) throw new TypeError(TIMESTAMP_RULE_MESSAGE);
  const emailHash = hmacSha256Hex(key, identitySigningString(email, timestamp));
  if (metadata === undefined) return { email, timestamp, emailHash };
  assertSignableMetadata(metadata);
  return {
    email,
    timestamp,
    emailHash,
    metadata,
    metadataHash: metadataHashWithKey(key, email, timestamp, metadata),
  };
}

const MALFORMED = { ok: false, reason: 'malformed' } as const;

/**
 * Verifies a signed identity against every listed secret (current first, then previous ones, so a
 * secret rotates without downtime). Never throws on bad input: it answers why it refused.
 *
 * Order follows the usual webhook-signature practice: parse, compute and compare in constant time,
 * then check the timestamp, so `expired` and `future` are only ever said of a genuine signature.
 * Throws a `TypeError` only for an unusable secrets list, which is a configuration mistake.
 */
export function verifyIdentity(
  input: unknown,
  secrets: readonly string[],
  options: VerifyIdentityOptions = {},
): IdentityVerification {
  assertSecretsList(secrets);
  if (!isPlainObject(input)) return MALFORMED;
  const { email, emailHash } = input;
  const timestamp = parseTimestamp(input.timestamp);
  if (!isAcceptableEmail(email) || timestamp === null) return MALFORMED;
  const secretIndex = findSigningSecret(
    emailHash,
    identitySigningString(email, timestamp),
    secrets,
  );
  if (typeof secretIndex === 'string') return { ok: false, reason: secretIndex };

  const now = options.now ?? Date.now();
  const toleranceMs = options.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  const futureSkewMs = options.futureSkewMs ?? DEFAULT_FUTURE_SKEW_MS;
  if (now - timestamp > toleranceMs) return { ok: false, reason: 'expired' };
  if (timestamp - now > futureSkewMs) return { ok: false, reason: 'future' };
  return { ok: true, email, secretIndex };
}

/**
 * Says, field by field, why an identity is `malformed`: for error responses, off the hot path.
 * Answers an empty list when the fields are well formed (the identity may still not verify).
 */
export function explainMalformedIdentity(input: unknown): FieldError[] {
  if (!isPlainObject(input)) {
    return [{ field: '', code: 'wrong_type', message: 'The identity must be an object.' }];
  }
  const errors: FieldError[] = [];
  if (input.email === undefined) {
    errors.push({
      field: 'email',
      code: 'required',
      message: 'email is required with emailHash and timestamp.',
    });
  } else if (!isAcceptableEmail(input.email)) {
    errors.push({
      field: 'email',
      code:
        typeof input.email !== 'string'
          ? 'wrong_type'
          : input.email === ''
            ? 'too_short'
            : hasControlCharacters(input.email)
              ? 'control_characters'
              : 'too_long',
      message: EMAIL_RULE_MESSAGE,
    });
  }
  if (input.timestamp === undefined) {
    errors.push({
      field: 'timestamp',
      code: 'required',
      message: 'timestamp is required with email and emailHash.',
    });
  } else if (parseTimestamp(input.timestamp) === null) {
    errors.push({
      field: 'timestamp',
      code: 'wrong_type',
      message: TIMESTAMP_RULE_MESSAGE,
    });
  }
  const hash = input.emailHash;
  if (hash === undefined) {
    errors.push({
      field: 'emailHash',
      code: 'required',
      message: 'emailHash is required with email and timestamp.',
    });
  } else if (!isHexDigest(hash)) {
    errors.push({
      field: 'emailHash',
      code: 'wrong_type',
      message: `emailHash must be ${HEX_DIGEST_LENGTH} hexadecimal digits (HMAC-SHA256).`,
    });
  }
  return errors;
}
