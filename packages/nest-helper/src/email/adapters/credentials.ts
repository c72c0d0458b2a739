import { unauthorized } from '../email-errors.js';
import { secretsEqual } from '../secret-compare.js';

// The shared-secret checks of the inbound endpoints. A missing header and a wrong secret get the
// same answer, so probing learns nothing about which part was wrong.

const CREDENTIALS_REFUSED = 'The inbound secret is missing or wrong.';

/** The token of an `Authorization: <scheme> <token>` header, or null for another scheme. */
function credentialsOf(authorization: string | undefined, scheme: string): string | null {
  const match = /^(\S+) +(\S+) *$/.exec(authorization ?? '');
  return match && match[1]!.toLowerCase() === scheme ? match[2]! : null;
}

/** `Authorization: Bearer <inboundSecret>`, or 401. */
export function requireBearerSecret(authorization: string | undefined, secret: string): void {
  const token = credentialsOf(authorization, 'bearer');
  if (token === null || !secretsEqual(token, secret)) throw unauthorized(CREDENTIALS_REFUSED);
}

/**
 * HTTP Basic auth whose password is the inbound secret, or 401. Providers put it in the webhook
 * URL (`https://any-user:<secret>@host/...`); the user name is not checked.
 */
export function requireBasicAuthSecret(authorization: string | undefined, secret: string): void {
  const token = credentialsOf(authorization, 'basic');
  const decoded = token === null ? '' : Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon === -1 ? null : decoded.slice(colon + 1);
  if (password === null || !secretsEqual(password, secret)) throw unauthorized(CREDENTIALS_REFUSED);
}
