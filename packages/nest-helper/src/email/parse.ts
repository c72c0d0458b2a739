import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  MailParser,
  type AddressObject,
  type AttachmentStream,
  type EmailAddress,
  type Headers,
  type MessageText,
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

/** The message in slices, so the parser never has more than a slice of it in flight. */
function* chunksOf(raw: Buffer, size = 64 * 1024): Generator<Buffer> {
  for (let at = 0; at < raw.length; at += size) yield raw.subarray(at, at + size);
}

type AttachmentSummary = InboundMessage['attachments'][number];

/** What the streaming parser yields: the root headers, the text content, attachment summaries. */
interface Parsed {
  headers: Headers | undefined;
  from: AddressObject | undefined;
  replyTo: AddressObject | undefined;
  to: AddressObject | AddressObject[] | undefined;
  subject: string | undefined;
  messageId: string | undefined;
  inReplyTo: string | undefined;
  references: string | string[] | undefined;
  date: Date | undefined;
  text: MessageText | undefined;
  attachments: AttachmentSummary[];
}

/**
 * Runs mailparser's streaming parser over the message. Unlike `simpleParser`, which buffers every
 * attachment, each attachment's content is drained and only its size counted, so an attachment
 * never sits in memory as a whole. Settles once: the first parser error refuses the message.
 */
function parseOrRefuse(raw: Buffer): Promise<Parsed> {
  return new Promise<Parsed>((resolve, reject) => {
    let parser: MailParser | undefined;
    let settled = false;
    const refuse = () => {
      if (settled) return;
      settled = true;
      reject(malformedMessage('The message could not be parsed as RFC 5322 email.'));
      parser?.destroy();
    };
    let headers: Headers | undefined;
    let text: MessageText | undefined;
    const attachments: AttachmentSummary[] = [];
    // Attachments whose content has not ended yet: the result waits for them (as simpleParser
    // does), so that every size is counted even when the parser ends before the last content.
    let pending = 0;
    let ended = false;
    const finish = () => {
      if (settled || !ended || pending > 0 || parser === undefined) return;
      settled = true;
      resolve({
        headers,
        from: parser.from,
        replyTo: parser.replyTo,
        to: parser.to,
        subject: parser.subject,
        messageId: parser.messageId,
        inReplyTo: parser.inReplyTo,
        references: parser.references,
        date: parser.date,
        text,
        attachments,
      });
    };
    const countAttachment = (attachment: AttachmentStream) => {
      const summary: AttachmentSummary = {
        filename: attachment.filename ?? null,
        contentType: attachment.contentType,
        size: 0,
      };
      attachments.push(summary);
      pending++;
      let size = 0;
      attachment.content
        .on('data', (chunk: Buffer | string) => {
          size += chunk.length;
        })
        .once('error', refuse)
        .once('end', () => {
          summary.size = size;
          pending--;
          attachment.release?.();
          finish();
        });
    };
    try {
      parser = new MailParser(PARSER_OPTIONS);
      parser
        .on('error', refuse)
        .on('headers', (parsedHeaders: Headers) => {
          headers = parsedHeaders;
        })
        .on('data', (data: AttachmentStream | MessageText) => {
          if (data.type === 'text') text = data;
          else countAttachment(data);
        })
        .once('end', () => {
          ended = true;
          finish();
        });
      Readable.from(chunksOf(raw)).once('error', refuse).pipe(parser);
    } catch {
      refuse();
    }
  });
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
  const { headers, attachments } = parsed;
  if (headers === undefined) {
    throw malformedMessage('The message could not be parsed as RFC 5322 email.');
  }
  return {
    messageId: messageIds(parsed.messageId)[0] ?? fallbackMessageId(raw),
    from: { address: sender.address!, name: sender.name },
    replyTo: addressesOf(parsed.replyTo)[0] ?? null,
    to: addressesOf(parsed.to),
    subject: parsed.subject ?? '',
    // mailparser already made text out of the HTML when there is no plain text part.
    text: parsed.text?.text ?? '',
    html: parsed.text?.html || null,
    inReplyTo: messageIds(parsed.inReplyTo)[0] ?? null,
    references: messageIds(parsed.references),
    date: parsed.date ?? null,
    headers,
    attachments,
    isReport:
      rootContentType(headers) === 'multipart/report' ||
      attachments.some((attachment) => REPORT_PARTS.has(attachment.contentType.toLowerCase())),
  };
}
