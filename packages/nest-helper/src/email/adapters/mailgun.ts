import { hexDigestsEqual, hmacSha256Hex } from '@helperkit/core/node';
import { malformedMessage, unauthorized } from '../email-errors.js';
import { requireBasicAuthSecret } from './credentials.js';
import { fieldBytes, readFormFields } from './form-fields.js';
import { mailgunVerdicts } from '../sender-auth/index.js';
import { checkedMessage, type InboundAdapter } from './inbound-request.js';

/** How far a Mailgun timestamp may be from now, either way (docs/email-authentication.md). */
export const MAILGUN_TIMESTAMP_TOLERANCE_MS = 2 * 60 * 1000;

const TIMESTAMP_SECONDS = /^\d{1,12}$/;

/**
 * Mailgun's signature of a request: hex HMAC-SHA256 of `timestamp + token`, keyed with the
 * "HTTP webhook signing key". Checks in order: fields present, timestamp fresh, signature; the
 * errors say which failed, never the expected signature.
 */
export function verifyMailgunSignature(
  fields: ReadonlyMap<string, string>,
  signingKey: string,
  now: number,
): void {
  const timestamp = fields.get('timestamp') ?? '';
  const token = fields.get('token') ?? '';
  const signature = fields.get('signature') ?? '';
  if (!TIMESTAMP_SECONDS.test(timestamp) || token === '' || signature === '') {
    throw unauthorized('The Mailgun signature fields (timestamp, token, signature) are missing.');
  }
  const age = now - Number(timestamp) * 1000;
  if (age > MAILGUN_TIMESTAMP_TOLERANCE_MS) {
    throw unauthorized('The Mailgun timestamp is too old: more than 2 minutes ago.');
  }
  if (age < -MAILGUN_TIMESTAMP_TOLERANCE_MS) {
    throw unauthorized('The Mailgun timestamp is in the future: more than 2 minutes ahead.');
  }
  const expected = hmacSha256Hex(Buffer.from(signingKey, 'utf8'), timestamp + token);
  if (!hexDigestsEqual(signature, expected)) {
    throw unauthorized('The Mailgun signature does not verify with the signing key.');
  }
}

/**
 * `POST /email/inbound/mailgun`: a Mailgun route that forwards to a URL ending in `mime`, so the
 * message comes whole in `body-mime` (multipart or urlencoded). With `mailgunSigningKey` set the
 * request must carry Mailgun's signature; without it, the inbound secret as Basic auth password.
 */
export const mailgunAdapter: InboundAdapter = async (request, options) => {
  const signingKey = options.mailgunSigningKey;
  if (signingKey === null) requireBasicAuthSecret(request.authorization, options.inboundSecret);
  // Mailgun's signature travels inside the form: until it verifies, the sender is anyone, so the
  // form is read up to the message's own size only (the `mime` route's form is little more).
  const fields = await readFormFields(
    request,
    options.maxMessageBytes,
    signingKey === null ? undefined : options.maxMessageBytes,
  );
  if (signingKey !== null) verifyMailgunSignature(fields, signingKey, (options.now ?? Date.now)());
  const mime = fields.get('body-mime');
  if (mime === undefined) {
    throw malformedMessage(
      'The form has no "body-mime" field: forward the Mailgun route to a URL ending in "mime".',
    );
  }
  return {
    ...checkedMessage(fieldBytes(mime), options.maxMessageBytes),
    providerVerdicts: (headerLines) => mailgunVerdicts(headerLines, fields),
    ...(signingKey !== null ? { singleUseToken: `mailgun:${fields.get('token')!}` } : {}),
  };
};
