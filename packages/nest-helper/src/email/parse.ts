import { createHash } from 'node:crypto';
import {
  simpleParser,
  type AddressObject,
  type EmailAddress,
  type Headers,
  type ParsedMail,
} from 'mailparser';
import { isMailboxAddress } from './address.js';
import { malformedMessage } from './email-errors.js';
import { headerStrings } from './header-values.js';

/** An inbound message, reduced to what the pipeline uses. Attachment contents are not kept. */
export interface InboundMessage {
  /** The Message-ID with angle brackets; made from the message's SHA-256 when it has none. */
  messageId: string;
  from: { address: string; name: string };
  /** The first Reply-To address, or null. */
  replyTo: string | null;
  to: string[];
  /** The decoded subject, '' when there is none. */
  subject: string;
  text: string;
  html: string | null;
  inReplyTo: string | null;
  references: string[];
  date: Date | null;
  /** mailparser's headers: lowercase keys, every `List-*` header under `list`. */
  headers: Headers;
  attachments: { filename: string | null; contentType: string; size: number }[];
  /** A delivery or disposition report (a bounce, a read receipt), not mail written by a person. */
  isReport: boolean;
}

// Types of the machine-readable part of a report (RFC 3464, RFC 6533, RFC 8098): kept as
// attachments (keepDeliveryStatus) so a report wrapped inside another multipart is found too.
const REPORT_PARTS = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
  'message/disposition-notification',
  'message/global-disposition-notification',
]);

const PARSER_OPTIONS = {
  keepDeliveryStatus: true,
  // Only the text is used: no cid: images turned into data: URLs, no checksums.
  skipImageLinks: true,
  checksumAlgo: false,
  // Converting a huge HTML-only message to text would hold the event loop.
  maxHtmlLengthToParse: 2 * 1024 * 1024,
} as const;

const MESSAGE_ID = /<[^<>\s]+>/g;

/** The `<id>` tokens of a header, dropping comments and anything else around them. */
const messageIds = (value: string | string[] | undefined): string[] =>
  [value ?? []].flat().flatMap((one) => one.match(MESSAGE_ID) ?? []);

const fallbackMessageId = (raw: Buffer) =>
  `<${createHash('sha256').update(raw).digest('hex')}@helperkit.invalid>`;

/** Mailboxes of an address header, members of groups included. */
const mailboxesOf = (header: AddressObject | AddressObject[] | undefined): EmailAddress[] =>
  [header ?? []]
    .flat()
    .flatMap((object) => object.value)
    .flatMap((address) => address.group ?? [address]);

const addressesOf = (header: AddressObject | AddressObject[] | undefined): string[] =>
  mailboxesOf(header).flatMap((mailbox) =>
    mailbox.address && isMailboxAddress(mailbox.address) ? [mailbox.address] : [],
  );

const rootContentType = (headers: Headers): string =>
  headerStrings(headers, 'content-type')[0]?.toLowerCase() ?? 'text/plain';

async function parseOrRefuse(raw: Buffer): Promise<ParsedMail> {
  try {
    return await simpleParser(raw, PARSER_OPTIONS);
  } catch {
    throw malformedMessage('The message could not be parsed as RFC 5322 email.');
  }
}

/**
 * Parses a raw message. Input that is not an email with a sender address is refused with a
 * HelperHttpError 400 `malformed_message`; no input makes this throw anything else.
 */
export async function parseMessage(raw: Buffer): Promise<InboundMessage> {
  const parsed = await parseOrRefuse(raw);
  const sender = mailboxesOf(parsed.from).find(
    (mailbox) => mailbox.address !== undefined && isMailboxAddress(mailbox.address),
  );
  if (sender === undefined) {
    throw malformedMessage('The message has no sender: its From header has no valid address.');
  }
  const attachments = parsed.attachments.map((attachment) => ({
    filename: attachment.filename ?? null,
    contentType: attachment.contentType,
    size: attachment.size,
  }));
  return {
    messageId: messageIds(parsed.messageId)[0] ?? fallbackMessageId(raw),
    from: { address: sender.address!, name: sender.name },
    replyTo: addressesOf(parsed.replyTo)[0] ?? null,
    to: addressesOf(parsed.to),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: parsed.html || null,
    inReplyTo: messageIds(parsed.inReplyTo)[0] ?? null,
    references: messageIds(parsed.references),
    date: parsed.date ?? null,
    headers: parsed.headers,
    attachments,
    isReport:
      rootContentType(parsed.headers) === 'multipart/report' ||
      attachments.some((attachment) => REPORT_PARTS.has(attachment.contentType.toLowerCase())),
  };
}
