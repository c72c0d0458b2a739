import { malformedMessage } from '../email-errors.js';
import { requireBasicAuthSecret } from './credentials.js';
import { fieldBytes, readFormFields } from './form-fields.js';
import { checkedMessage, type InboundAdapter } from './inbound-request.js';
import { sendgridVerdicts } from '../sender-auth/index.js';

/**
 * `POST /email/inbound/sendgrid`: SendGrid Inbound Parse with "POST the raw, full MIME message"
 * on, so the message is the `email` field of a multipart form. SendGrid does not sign Inbound
 * Parse requests: the webhook URL carries the inbound secret as its Basic auth password
 * (`https://sendgrid:<inboundSecret>@example.com/helper/email/inbound/sendgrid`).
 */
export const sendgridAdapter: InboundAdapter = async (request, options) => {
  requireBasicAuthSecret(request.authorization, options.inboundSecret);
  const fields = await readFormFields(request, options.maxMessageBytes);
  const email = fields.get('email');
  if (email === undefined) {
    throw malformedMessage(
      'The form has no "email" field: turn on "POST the raw, full MIME message" in SendGrid.',
    );
  }
  return {
    ...checkedMessage(fieldBytes(email), options.maxMessageBytes),
    providerVerdicts: () => sendgridVerdicts(fields),
  };
};
