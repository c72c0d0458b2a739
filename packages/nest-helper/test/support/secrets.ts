import { deriveKeys } from '../../src/tokens/derived-keys.js';

/** Secrets the suites use; every response is scanned for them (and their derived keys). */
export const SECRET = 'test-current-secret-0123456789abcdefghij';
export const PREVIOUS_SECRET = 'test-previous-secret-0123456789abcdefgh';
export const OTHER_SECRET = 'test-unrelated-secret-0123456789abcdefg';

export const ADMIN_TOKEN = 'staff-token-for-tests';

/** Every form in which a secret could leak: as is, and the derived keys in hex and base64. */
export function secretForms(): string[] {
  const secrets = [SECRET, PREVIOUS_SECRET, OTHER_SECRET];
  const derived = [...deriveKeys(secrets, 'session token'), ...deriveKeys(secrets, 'chat link')];
  return [
    ...secrets,
    ...derived.flatMap((key) => [
      key.toString('hex'),
      key.toString('base64'),
      key.toString('base64url'),
    ]),
  ];
}
