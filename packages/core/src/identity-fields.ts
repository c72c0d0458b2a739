import { characterCount, hasControlCharacters } from './text.js';

// The email and timestamp of a signed identity, as both the identity and the signed metadata read
// them. See docs/protocol.md.

export const MAX_EMAIL_LENGTH = 254;
/** Greatest time a JavaScript Date can hold; anything later is not a real timestamp. */
const MAX_TIMESTAMP = 8.64e15;
const TIMESTAMP_PATTERN = /^\d{1,16}$/;

/** Checks an email as the identity scheme needs it; the string is used exactly as given. */
export function isAcceptableEmail(email: unknown): email is string {
  return (
    typeof email === 'string' &&
    email.length > 0 &&
    !hasControlCharacters(email) &&
    // Only long strings can be too long; counting code points is skipped for the rest.
    (email.length <= MAX_EMAIL_LENGTH || characterCount(email) <= MAX_EMAIL_LENGTH)
  );
}

export const isAcceptableTimestamp = (timestamp: number): boolean =>
  Number.isSafeInteger(timestamp) && timestamp >= 0 && timestamp <= MAX_TIMESTAMP;

/** Accepts an integer, or its plain decimal string as a server-rendered page may embed it. */
export function parseTimestamp(raw: unknown): number | null {
  if (typeof raw === 'number') return isAcceptableTimestamp(raw) ? raw : null;
  if (typeof raw === 'string' && TIMESTAMP_PATTERN.test(raw)) {
    const timestamp = Number(raw);
    return isAcceptableTimestamp(timestamp) ? timestamp : null;
  }
  return null;
}

export const EMAIL_RULE_MESSAGE = `email must be a non-empty string of at most ${MAX_EMAIL_LENGTH} characters without control characters.`;
export const TIMESTAMP_RULE_MESSAGE =
  'timestamp must be an integer number of milliseconds since the Unix epoch.';
