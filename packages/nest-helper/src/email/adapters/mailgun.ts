import { hexDigestsEqual, hmacSha256Hex } from '@helperkit/core/node';
import { malformedMessage, unauthorized } from '../email-errors.js';
import { requireBasicAuthSecret } from './credentials.js';
import { readForm, textFields, type InboundForm } from './form-fields.js';
import { mailgunVerdicts } from '../sender-auth/index.js';
import { checkedMessage, messageLimit, type InboundAdapter } from './inbound-request.js';
import { composeMessage, headerValue, messageIdOf, type HeaderPair } from './rebuilt-message.js';

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

/** Mailgun's `message-headers`: `[["Name", "value"], …]` in the message's order. */
function messageHeaders(json: string | undefined): HeaderPair[] {
  try {
    const parsed: unknown = JSON.parse(json ?? '');
    return Array.isArray(parsed)
      ? parsed.flatMap((pair: unknown) =>
          Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string'
            ? [{ name: pair[0], value: pair[1] }]
            : [],
        )
      : [];
  } catch {
    return [];
  }
}

/** `content-id-map`: `{"<cid>": "attachment-1"}`, turned round: file field to Content-ID. */
function contentIds(json: string | undefined): Map<string, string> {
  const ids = new Map<string, string>();
  try {
    const parsed: unknown = JSON.parse(json ?? '');
    if (typeof parsed === 'object' && parsed !== null) {
      for (const [cid, field] of Object.entries(parsed)) {
        if (typeof field === 'string') ids.set(field, cid.replace(/[<>]/g, ''));
      }
    }
  } catch {
    // No inline images named: every file is a plain attachment.
  }
  return ids;
}

/**
 * Mailgun's parsed form (a route forwarding to a URL that does not end in "mime"), rebuilt into
 * one message. Mailgun posts every text field in UTF-8. The text is `stripped-text` (the reply
 * without the quoted conversation) when Mailgun found one, as for Postmark's StrippedTextReply.
 */
function composeParsed(form: InboundForm, fields: ReadonlyMap<string, string>): Promise<Buffer> {
  const headers = messageHeaders(fields.get('message-headers'));
  const field = (name: string) => fields.get(name) || undefined;
  const cids = contentIds(fields.get('content-id-map'));
  return composeMessage({
    from: field('from') ?? headerValue(headers, 'from') ?? field('sender'),
    to: headerValue(headers, 'to') ?? field('recipient'),
    cc: headerValue(headers, 'cc'),
    replyTo: headerValue(headers, 'reply-to'),
    subject: field('subject') ?? headerValue(headers, 'subject') ?? '',
    messageId: messageIdOf(headers, 'mailgun', [
      fields.get('message-headers'),
      field('subject'),
      field('body-plain'),
    ]),
    date: headerValue(headers, 'date'),
    text: field('stripped-text') ?? field('body-plain'),
    html: field('body-html'),
    attachments: form.files.map((file) => ({
      filename: file.filename ?? file.name,
      content: file.bytes,
      contentType: file.mediaType ?? 'application/octet-stream',
      ...(cids.has(file.name) ? { cid: cids.get(file.name)! } : {}),
    })),
    headers,
  });
}

/** Which of Mailgun's forms a route accepts. */
type MailgunForms = 'mime' | 'mime-or-parsed';

/** The message of a Mailgun form: `body-mime` as sent, or the parsed fields rebuilt. */
async function mailgunMessage(
  form: InboundForm,
  fields: ReadonlyMap<string, string>,
  accepts: MailgunForms,
): Promise<Buffer> {
  const mime = form.fields.get('body-mime');
  if (mime !== undefined) return mime.bytes;
  if (fields.has('message-url') && !fields.has('body-plain')) {
    throw malformedMessage(
      'Mailgun store-and-notify posts only a message-url, which helperkit does not fetch: make ' +
        'the route forward() to this URL instead.',
    );
  }
  if (accepts === 'mime-or-parsed' && (fields.has('body-plain') || fields.has('message-headers'))) {
    return composeParsed(form, fields);
  }
  throw malformedMessage(
    accepts === 'mime'
      ? 'The form has no "body-mime" field: Mailgun sends it to a URL ending in "mime" only.'
      : 'The form has neither "body-mime" (a route forwarding to a URL ending in "mime") nor ' +
          'Mailgun\'s parsed fields ("body-plain", "message-headers").',
  );
}

/**
 * A Mailgun route's forward() to this URL. With `mailgunSigningKey` set the request must carry
 * Mailgun's signature; without it, the inbound secret as Basic auth password.
 */
const mailgunRoute =
  (accepts: MailgunForms): InboundAdapter =>
  async (request, options) => {
    const signingKey = options.mailgunSigningKey;
    if (signingKey === null) requireBasicAuthSecret(request.authorization, options.inboundSecret);
    const limit = messageLimit(options, 'mailgun');
    // Mailgun's signature travels inside the form: until it verifies, the sender is anyone, so
    // the form is read up to the message's own size only.
    const form = await readForm(request, limit, signingKey === null ? undefined : limit);
    const fields = textFields(form, ['body-mime']);
    if (signingKey !== null) {
      verifyMailgunSignature(fields, signingKey, (options.now ?? Date.now)());
    }
    return {
      ...checkedMessage(await mailgunMessage(form, fields, accepts), limit),
      providerVerdicts: (headerLines) => mailgunVerdicts(headerLines, fields),
      ...(signingKey !== null ? { singleUseToken: `mailgun:${fields.get('token')!}` } : {}),
      keepUnparseable: true,
    };
  };

/** `POST /email/inbound/mailgun/mime`: the message whole, in `body-mime` (multipart or urlencoded). */
export const mailgunMimeAdapter = mailgunRoute('mime');

/** `POST /email/inbound/mailgun`: Mailgun's parsed fields, rebuilt (or `body-mime`, if sent). */
export const mailgunAdapter = mailgunRoute('mime-or-parsed');
