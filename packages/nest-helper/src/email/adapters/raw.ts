import { unsupportedMediaType } from '../email-errors.js';
import { requireBearerSecret } from './credentials.js';
import { checkedMessage, mediaType, readBody, type InboundAdapter } from './inbound-request.js';

/**
 * `POST /email/inbound`: the message itself (`Content-Type: message/rfc822`), with
 * `Authorization: Bearer <inboundSecret>`, e.g. from a mail server's pipe-to-HTTP hook.
 */
export const rawAdapter: InboundAdapter = async (request, options) => {
  // Credentials first: nothing of an unauthenticated request is read.
  requireBearerSecret(request.authorization, options.inboundSecret);
  if (mediaType(request.contentType) !== 'message/rfc822') {
    throw unsupportedMediaType('The body must be an email message, Content-Type: message/rfc822.');
  }
  const raw = await readBody(request.body, options.maxMessageBytes);
  return checkedMessage(raw, options.maxMessageBytes);
};
