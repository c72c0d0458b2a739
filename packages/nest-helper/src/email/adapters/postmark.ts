import { postmarkVerdicts } from '../sender-auth/index.js';
import type { Attachment } from 'nodemailer';
import { badRequest, unsupportedMediaType } from '../email-errors.js';
import { requireBasicAuthSecret } from './credentials.js';
import { composeMessage, headerValue, messageIdOf, type HeaderPair } from './rebuilt-message.js';
import {
  checkedMessage,
  envelopeLimit,
  mediaType,
  messageLimit,
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
  /** The reply alone, without the quoted conversation, when Postmark could tell them apart. */
  StrippedTextReply?: string;
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

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

const mailbox = (address: PostmarkAddress | undefined) =>
  text(address?.Email) === undefined
    ? undefined
    : { name: text(address?.Name) ?? '', address: address!.Email! };

const mailboxes = (addresses: unknown) => {
  const found = list<PostmarkAddress>(addresses).flatMap((address) => mailbox(address) ?? []);
  return found.length > 0 ? found : undefined;
};

const headersOf = (payload: PostmarkInbound): HeaderPair[] =>
  list<{ Name?: unknown; Value?: unknown }>(payload.Headers).flatMap((header) =>
    typeof header?.Name === 'string' && typeof header.Value === 'string'
      ? [{ name: header.Name, value: header.Value }]
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

/**
 * Rebuilds an RFC 5322 message from Postmark's parsed fields (when RawEmail is off). The text is
 * Postmark's `StrippedTextReply` when it found one: the reply without the quoted conversation.
 * Without a Message-ID header the id is made from Postmark's `MessageID`, which stays the same
 * when Postmark posts the message again.
 */
export function composePostmarkMessage(payload: PostmarkInbound, body: Buffer): Promise<Buffer> {
  const headers = headersOf(payload);
  const postmarkId = text(payload.MessageID);
  return composeMessage({
    from: mailbox(payload.FromFull) ?? text(payload.From),
    to: mailboxes(payload.ToFull) ?? text(payload.To),
    cc: mailboxes(payload.CcFull) ?? text(payload.Cc),
    replyTo: text(payload.ReplyTo),
    subject: text(payload.Subject) ?? '',
    messageId: messageIdOf(headers, 'postmark', postmarkId ? [postmarkId] : [body]),
    date: headerValue(headers, 'date') ?? text(payload.Date),
    text: text(payload.StrippedTextReply) ?? text(payload.TextBody),
    html: text(payload.HtmlBody),
    attachments: attachmentsOf(payload),
    headers,
  });
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
  const limit = messageLimit(options, 'postmark');
  const body = await readBody(request.body, envelopeLimit(limit));
  const payload = parsePayload(body);
  const rawEmail = text(payload.RawEmail);
  const raw =
    rawEmail !== undefined
      ? Buffer.from(rawEmail, 'utf8')
      : await composePostmarkMessage(payload, body);
  return {
    ...checkedMessage(raw, limit),
    providerVerdicts: postmarkVerdicts,
    keepUnparseable: true,
  };
};
