import { postmarkVerdicts } from '../sender-auth/index.js';
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Attachment, Headers } from 'nodemailer';
import { badRequest, unsupportedMediaType } from '../email-errors.js';
import { requireBasicAuthSecret } from './credentials.js';
import {
  checkedMessage,
  envelopeLimit,
  mediaType,
  readBody,
  type InboundAdapter,
} from './inbound-request.js';

/** The fields of Postmark's inbound webhook JSON that the message is rebuilt from. */
export interface PostmarkInbound {
  From?: string;
  FromFull?: PostmarkAddress;
  To?: string;
  ToFull?: PostmarkAddress[];
  Cc?: string;
  CcFull?: PostmarkAddress[];
  ReplyTo?: string;
  Subject?: string;
  /** Postmark's own id of the inbound message, not the message's Message-ID. */
  MessageID?: string;
  Date?: string;
  TextBody?: string;
  HtmlBody?: string;
  Headers?: { Name?: string; Value?: string }[];
  Attachments?: {
    Name?: string;
    Content?: string;
    ContentType?: string;
    ContentLength?: number;
    ContentID?: string;
  }[];
  /** The message as received, when the server has "Include raw email content" on. */
  RawEmail?: string;
}

interface PostmarkAddress {
  Email?: string;
  Name?: string;
}

// Headers MailComposer writes itself from the fields above; everything else in `Headers` is
// carried over, so loop prevention and threading (Auto-Submitted, Precedence, List-*,
// X-Autoreply, In-Reply-To, References, Return-Path…) see what the sender sent.
const COMPOSED_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'content-id',
]);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

const mailbox = (address: PostmarkAddress | undefined) =>
  text(address?.Email) === undefined
    ? undefined
    : { name: text(address?.Name) ?? '', address: address!.Email! };

const mailboxes = (addresses: unknown) =>
  list<PostmarkAddress>(addresses).flatMap((address) => mailbox(address) ?? []);

function headerOf(payload: PostmarkInbound, name: string): string | undefined {
  const found = list<{ Name?: unknown; Value?: unknown }>(payload.Headers).find(
    (header) => typeof header?.Name === 'string' && header.Name.toLowerCase() === name,
  );
  return text(found?.Value);
}

/**
 * The message's own Message-ID from `Headers`, else one made from Postmark's id. Never left to
 * MailComposer, which would make a new one each time: a redelivery must keep its id to be found a
 * duplicate.
 */
function messageIdOf(payload: PostmarkInbound, body: Buffer): string {
  const original = headerOf(payload, 'message-id');
  if (original !== undefined) return original;
  const postmarkId = text(payload.MessageID);
  const id = /^[\w.-]{1,128}$/.test(postmarkId ?? '')
    ? postmarkId!
    : createHash('sha256').update(body).digest('hex');
  return `<${id}@postmark.helperkit.invalid>`;
}

const carriedHeaders = (payload: PostmarkInbound): Headers =>
  list<{ Name?: unknown; Value?: unknown }>(payload.Headers).flatMap((header) =>
    typeof header?.Name === 'string' &&
    /^[\x21-\x39\x3b-\x7e]+$/.test(header.Name) &&
    typeof header.Value === 'string' &&
    !COMPOSED_HEADERS.has(header.Name.toLowerCase())
      ? [{ key: header.Name, value: header.Value.replace(/[\r\n]+/g, ' ') }]
      : [],
  );

const attachmentsOf = (payload: PostmarkInbound): Attachment[] =>
  list<NonNullable<PostmarkInbound['Attachments']>[number]>(payload.Attachments).map(
    (attachment) => ({
      filename: text(attachment?.Name) ?? 'attachment',
      content: Buffer.from(text(attachment?.Content) ?? '', 'base64'),
      contentType: text(attachment?.ContentType) ?? 'application/octet-stream',
      ...(text(attachment?.ContentID)
        ? { cid: attachment.ContentID!.replace(/^cid:|[<>]/g, '') }
        : {}),
    }),
  );

/** Rebuilds an RFC 5322 message from Postmark's parsed fields (when RawEmail is off). */
export function composePostmarkMessage(payload: PostmarkInbound, body: Buffer): Promise<Buffer> {
  const composer = new MailComposer({
    from: mailbox(payload.FromFull) ?? text(payload.From),
    to: mailboxes(payload.ToFull).length > 0 ? mailboxes(payload.ToFull) : text(payload.To),
    cc: mailboxes(payload.CcFull).length > 0 ? mailboxes(payload.CcFull) : text(payload.Cc),
    replyTo: text(payload.ReplyTo),
    subject: text(payload.Subject) ?? '',
    messageId: messageIdOf(payload, body),
    date: headerOf(payload, 'date') ?? text(payload.Date),
    text: text(payload.TextBody),
    html: text(payload.HtmlBody),
    attachments: attachmentsOf(payload),
    headers: carriedHeaders(payload),
    // The content is data from the request: never let it point MailComposer at files or URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}

function parsePayload(body: Buffer): PostmarkInbound {
  try {
    const payload: unknown = JSON.parse(body.toString('utf8'));
    if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) {
      return payload as PostmarkInbound;
    }
  } catch {
    // answered below
  }
  throw badRequest('The body is not a Postmark inbound JSON object.');
}

/**
 * `POST /email/inbound/postmark`: Postmark's inbound webhook JSON. Postmark does not sign it: the
 * webhook URL carries the inbound secret as its Basic auth password
 * (`https://postmark:<inboundSecret>@example.com/helper/email/inbound/postmark`).
 */
export const postmarkAdapter: InboundAdapter = async (request, options) => {
  requireBasicAuthSecret(request.authorization, options.inboundSecret);
  if (mediaType(request.contentType) !== 'application/json') {
    throw unsupportedMediaType('The body must be Postmark inbound JSON, application/json.');
  }
  const body = await readBody(request.body, envelopeLimit(options.maxMessageBytes));
  const payload = parsePayload(body);
  const rawEmail = text(payload.RawEmail);
  const raw =
    rawEmail !== undefined
      ? Buffer.from(rawEmail, 'utf8')
      : await composePostmarkMessage(payload, body);
  return { ...checkedMessage(raw, options.maxMessageBytes), providerVerdicts: postmarkVerdicts };
};
