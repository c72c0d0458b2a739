import type { Attachment } from 'nodemailer';
import { malformedMessage } from '../email-errors.js';
import { sendgridVerdicts } from '../sender-auth/index.js';
import { requireBasicAuthSecret } from './credentials.js';
import { decodeText, readForm, textFields, type InboundForm } from './form-fields.js';
import { checkedMessage, messageLimit, type InboundAdapter } from './inbound-request.js';
import { composeMessage, headerBlock, headerValue, messageIdOf } from './rebuilt-message.js';

/** SendGrid's `charsets` field, `{"subject":"UTF-8","text":"iso-8859-1",…}`, names lowercased. */
function charsetsOf(form: InboundForm): Map<string, string> {
  const charsets = new Map<string, string>();
  try {
    const parsed: unknown = JSON.parse(form.fields.get('charsets')?.bytes.toString('utf8') ?? '');
    if (typeof parsed === 'object' && parsed !== null) {
      for (const [name, charset] of Object.entries(parsed)) {
        if (typeof charset === 'string') charsets.set(name, charset.toLowerCase());
      }
    }
  } catch {
    // No usable `charsets`: each field is read as its part says, else as UTF-8.
  }
  return charsets;
}

/** `attachment-info`: per file field, `{ filename, type, "content-id" }`; an object, or none. */
function attachmentInfo(form: InboundForm): Record<string, Record<string, unknown>> {
  try {
    const parsed: unknown = JSON.parse(
      form.fields.get('attachment-info')?.bytes.toString('utf8') ?? '',
    );
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, Record<string, unknown>>)
      : {};
  } catch {
    return {};
  }
}

const stringOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** The `attachmentN` files, named and typed as `attachment-info` (or their own part) says. */
const attachmentsOf = (form: InboundForm): Attachment[] => {
  const info = attachmentInfo(form);
  return form.files.map((file) => {
    const described = info[file.name] ?? {};
    const cid = stringOf(described['content-id']);
    return {
      filename: stringOf(described.filename) ?? file.filename ?? file.name,
      content: file.bytes,
      contentType: stringOf(described.type) ?? file.mediaType ?? 'application/octet-stream',
      ...(cid ? { cid: cid.replace(/[<>]/g, '') } : {}),
    };
  });
};

/**
 * SendGrid's default ("parsed") mode, rebuilt into one message. Each text field is read in the
 * charset `charsets` names for it (else its part's own label, else UTF-8), so the subject and
 * bodies arrive as the sender wrote them. See docs/email.md.
 */
function composeParsed(form: InboundForm): Promise<Buffer> {
  const charsets = charsetsOf(form);
  const field = (name: string): string | undefined => {
    const part = form.fields.get(name);
    return part && part.bytes.length > 0
      ? decodeText(part.bytes, charsets.get(name) ?? part.charset)
      : undefined;
  };
  const headers = headerBlock(field('headers') ?? '');
  const text = field('text');
  return composeMessage({
    from: field('from'),
    to: field('to'),
    cc: field('cc'),
    replyTo: headerValue(headers, 'reply-to'),
    subject: field('subject') ?? '',
    messageId: messageIdOf(headers, 'sendgrid', [field('headers'), field('subject'), text]),
    date: headerValue(headers, 'date'),
    text,
    html: field('html'),
    attachments: attachmentsOf(form),
    headers,
  });
}

/**
 * `POST /email/inbound/sendgrid`: SendGrid Inbound Parse, in either mode: with "POST the raw,
 * full MIME message" on, the message is the `email` field; otherwise (SendGrid's default) it is
 * rebuilt from the parsed fields. SendGrid does not sign Inbound Parse requests: the webhook URL
 * carries the inbound secret as its Basic auth password
 * (`https://sendgrid:<inboundSecret>@example.com/helper/email/inbound/sendgrid`).
 */
export const sendgridAdapter: InboundAdapter = async (request, options) => {
  requireBasicAuthSecret(request.authorization, options.inboundSecret);
  const limit = messageLimit(options, 'sendgrid');
  const form = await readForm(request, limit);
  const email = form.fields.get('email');
  let raw: Buffer;
  if (email !== undefined) raw = email.bytes;
  else if (form.fields.has('from') || form.fields.has('headers')) raw = await composeParsed(form);
  else {
    throw malformedMessage(
      'The form is neither of SendGrid\'s forms: it has no "email" field (raw mode) and no ' +
        '"from" or "headers" field (the default, parsed mode).',
    );
  }
  const fields = textFields(form, ['email']);
  return {
    ...checkedMessage(raw, limit),
    providerVerdicts: () => sendgridVerdicts(fields),
    keepUnparseable: true,
  };
};
