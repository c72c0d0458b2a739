import { randomBytes } from 'node:crypto';
import { signIdentity, type CustomerMetadata, type SignedIdentity } from '@helperkit/core/node';

// Random per process: a test can never pass with a secret copied from somewhere real, and nothing
// signed here verifies anywhere else.
const TEST_HMAC_SECRET = randomBytes(32).toString('base64url');
const TEST_STAFF_TOKEN = randomBytes(24).toString('base64url');

/** The secret HelperTestingModule verifies identities with. */
export const testHmacSecret = (): string => TEST_HMAC_SECRET;

/** The staff token HelperTestingModule's admin guard accepts. */
export const testStaffToken = (): string => TEST_STAFF_TOKEN;

/**
 * Signs an identity as the host's server would, with the testing module's secret: what the widget
 * sends to `POST /helper/widget/session` (`{ email, timestamp, emailHash }`, plus `metadataHash`
 * with metadata).
 */
export const signTestIdentity = (
  email: string,
  options: { metadata?: CustomerMetadata; timestamp?: number } = {},
): SignedIdentity => signIdentity({ email, ...options }, TEST_HMAC_SECRET);

/** The headers of a support-staff request in a test app (admin and staff routes). */
export const testStaffHeaders = (): { authorization: string } => ({
  authorization: `Bearer ${TEST_STAFF_TOKEN}`,
});
