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
import { emailFileReader, isEmailFile, type EmailFile } from '../attachments/email-files.js';
import { isMailboxAddress, isNullPath, isSystemAddress, isSystemName } from './address.js';
import { malformedMessage } from './email-errors.js';
import {
  fieldValues,
  headerBlockFields,
  headerField,
  headerStrings,
  messageIdsIn,
  type HeaderField,
} from './header-values.js';

/** Who wrote a message: its first valid From address and the name that goes with it. */
export interface Sender {
  address: string;
  name: string;
}

/**
 * A parsed message, reduced to what the pipeline uses. Attachment contents are kept only when the
 * parse is asked for files (`fileBytes`), each up to that size.
 */
export interface ParsedMessage {
  /** The Message-ID with angle brackets; made from the message's SHA-256 when it has none. */
  messageId: string;
  /**
   * The first valid From address. null only for mail from a mail system that gives no usable
   * address (`MAILER-DAEMON <>`, a bare `Postmaster`, ...): such mail is never refused, and the
   * loop rules skip it. See docs/loop-prevention.md.
   */
  from: Sender | null;
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
  /** The root header fields as written, every occurrence of a repeated header included. */
  headerFields: readonly HeaderField[];
  attachments: { filename: string | null; contentType: string; size: number }[];
  /** The files among the attachments, with their bytes; empty unless asked for (`fileBytes`). */
  files: EmailFile[];
  /** A delivery, disposition or abuse report (a bounce, a read receipt), not a person's mail. */
  isReport: boolean;
  /** What a delivery report (RFC 3464) says failed; null when the message carries none. */
  bounce: BounceDetails | null;
  /** Set on a message kept for staff although it could not be parsed (`unparseableMessage`). */
  unparseable?: true;
}

/** A message with a usable sender: one that can belong to a customer and be answered. */
export interface InboundMessage extends ParsedMessage {
  from: Sender;
}

export const hasSender = (message: ParsedMessage): message is InboundMessage =>
  message.from !== null;

/** The 400 for a message without a sender address, where one is needed. */
export const noSenderError = () =>
  malformedMessage('The message has no sender: its From header has no valid address.');

/** Whose address bounced, and which of our messages it was, for staff and for threading. */
export interface BounceDetails {
  /** The recipients whose delivery failed (`Action: failed`), as the sender wrote them. */
  failedRecipients: string[];
  /** The Message-ID of the message that bounced, from the report's copy of its header. */
  originalMessageId: string | null;
}

// The machine-readable part of a delivery report (RFC 3464, RFC 6533 for the global form).
const DELIVERY_STATUS_PARTS = new Set([
  'message/delivery-status',
  'message/global-delivery-status',
]);

// Types of the machine-readable part of a report (delivery: RFC 3464, RFC 6533; read receipt:
// RFC 8098; abuse report: RFC 5965): kept as attachments (keepDeliveryStatus) so a report
// wrapped inside another multipart (an abuse desk's multipart/mixed) is found too.
const REPORT_PARTS = new Set([
  ...DELIVERY_STATUS_PARTS,
  'message/disposition-notification',
  'message/global-disposition-notification',
  'message/feedback-report',
]);

// The parts of a report that carry the bounced message or just its header (RFC 3462, RFC 6533).
const ORIGINAL_MESSAGE_PARTS = new Set([
  'message/rfc822',
  'message/global',
  'text/rfc822-headers',
  'message/global-headers',
]);

// How much of each report part is read: a delivery report's fields and the bounced message's
// header fit well within it; a bounced message's body is never kept. All report parts of one
// message together are read up to MAX_REPORT_BYTES, however many parts it has.
const MAX_REPORT_PART_BYTES = 64 * 1024;
const MAX_REPORT_BYTES = 4 * MAX_REPORT_PART_BYTES;
// No report names more failed recipients worth showing staff than this.
const MAX_FAILED_RECIPIENTS = 50;

const PARSER_OPTIONS = {
  keepDeliveryStatus: true,
  // Only the text is used: no cid: images turned into data: URLs, no checksums, and no HTML
  // made from the text (mailparser's `textAsHtml`, which runs a link finder over all of it).
  skipImageLinks: true,
  skipTextToHtml: true,
  checksumAlgo: false,
  // Converting a huge HTML-only message to text would hold the event loop.
  maxHtmlLengthToParse: 1024 * 1024,
} as const;

/** The domain of the Message-IDs helperkit makes up for messages that came without one. */
export const MADE_UP_ID_DOMAIN = 'helperkit.invalid';

/**
 * Whether a Message-ID was made up here: the sender never had it, so a reply must not name it
 * as the message it answers (docs/email.md).
 */
export const isMadeUpMessageId = (id: string): boolean =>
  id.toLowerCase().endsWith(`${MADE_UP_ID_DOMAIN}>`);

const fallbackMessageId = (raw: Buffer) =>
  `<${createHash('sha256').update(raw).digest('hex')}@${MADE_UP_ID_DOMAIN}>`;

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

type AttachmentSummary = ParsedMessage['attachments'][number];

/** The start of a report part (see REPORT_PARTS and ORIGINAL_MESSAGE_PARTS), as text. */
interface ReportPart {
  contentType: string;
  text: string;
}

/** What the streaming parser yields: the root headers, the text content, attachment summaries. */
interface Parsed {
  headers: Headers | undefined;
  headerLines: { key: string; line: string }[];
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
  files: EmailFile[];
  reportParts: ReportPart[];
}

const isReportPart = (contentType: string) =>
  DELIVERY_STATUS_PARTS.has(contentType) || ORIGINAL_MESSAGE_PARTS.has(contentType);

/** The bytes of report parts that one message may still have read. */
interface ReportBudget {
  left: number;
}

/**
 * Keeps the first MAX_REPORT_PART_BYTES of a part's content as the parser streams it, and no
 * more than the message's budget has left.
 */
function reportPartReader(contentType: string, budget: ReportBudget) {
  const chunks: Buffer[] = [];
  let kept = 0;
  return {
    take(chunk: Buffer | string) {
      const room = Math.min(MAX_REPORT_PART_BYTES - kept, budget.left);
      if (room <= 0) return;
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      const slice = bytes.subarray(0, room);
      chunks.push(slice);
      kept += slice.length;
      budget.left -= slice.length;
    },
    // Report fields are ASCII or, in the global forms, UTF-8 (RFC 6533).
    done: (): ReportPart => ({ contentType, text: Buffer.concat(chunks).toString('utf8') }),
  };
}

/**
 * Runs mailparser's streaming parser over the message. Unlike `simpleParser`, which buffers every
 * attachment, each attachment's content is drained and only its size counted, so an attachment
 * never sits in memory as a whole. Settles once: the first parser error refuses the message.
 */
function parseOrRefuse(raw: Buffer, fileBytes: number | undefined): Promise<Parsed> {
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
    let headerLines: Parsed['headerLines'] = [];
    let text: MessageText | undefined;
    const attachments: AttachmentSummary[] = [];
    const files: EmailFile[] = [];
    const reportParts: ReportPart[] = [];
    const reportBudget: ReportBudget = { left: MAX_REPORT_BYTES };
    // Attachments whose content has not ended yet: the result waits for them (as simpleParser
    // does), so that every size is counted even when the parser ends before the last content.
    let pending = 0;
    let ended = false;
    const finish = () => {
      if (settled || !ended || pending > 0 || parser === undefined) return;
      settled = true;
      resolve({
        headers,
        headerLines,
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
        files,
        reportParts,
      });
    };
    const countAttachment = (attachment: AttachmentStream) => {
      // mailparser leaves contentType unset (or not a string) for a part whose Content-Type it
      // cannot read.
      const given: unknown = attachment.contentType;
      const declared =
        typeof given === 'string' && given !== '' ? given : 'application/octet-stream';
      const summary: AttachmentSummary = {
        filename: attachment.filename ?? null,
        contentType: declared,
        size: 0,
      };
      attachments.push(summary);
      pending++;
      let size = 0;
      const contentType = declared.toLowerCase();
      const report = isReportPart(contentType) ? reportPartReader(contentType, reportBudget) : null;
      const declaredType = typeof given === 'string' ? given : undefined;
      const file =
        fileBytes !== undefined && isEmailFile(declaredType, files.length)
          ? emailFileReader({ declaredName: summary.filename, declaredType }, fileBytes)
          : null;
      if (file) files.push(file.file);
      attachment.content
        .on('data', (chunk: Buffer | string) => {
          size += chunk.length;
          report?.take(chunk);
          file?.take(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
        })
        .once('error', refuse)
        .once('end', () => {
          summary.size = size;
          if (report) reportParts.push(report.done());
          file?.done();
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
        // Emitted for the root part only, like 'headers'.
        .on('headerLines', (lines: Parsed['headerLines']) => {
          headerLines = lines;
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

/** The address a DSN recipient field names (`rfc822; ann@example.net`), or null. */
function recipientAddress(value: string | undefined): string | null {
  if (value === undefined) return null;
  const separator = value.indexOf(';');
  const type = value.slice(0, separator).trim().toLowerCase();
  if (type !== 'rfc822' && type !== 'utf-8') return null;
  const address = value
    .slice(separator + 1)
    .trim()
    .replace(/^<(.*)>$/, '$1');
  return isMailboxAddress(address) ? address : null;
}

/**
 * The recipients a delivery report says failed. Each recipient has a block of fields after the
 * per-message block (RFC 3464 section 2); the address as the sender wrote it (Original-Recipient)
 * is preferred to the one the last server tried (Final-Recipient).
 */
function failedRecipients(deliveryStatus: string): string[] {
  return deliveryStatus
    .split(/\r?\n[ \t]*\r?\n/)
    .map(headerBlockFields)
    .filter((fields) => /^failed\b/i.test(fieldValues(fields, 'action')[0] ?? ''))
    .flatMap((fields) => {
      const address =
        recipientAddress(fieldValues(fields, 'original-recipient')[0]) ??
        recipientAddress(fieldValues(fields, 'final-recipient')[0]);
      return address === null ? [] : [address];
    });
}

/** What a delivery report says failed, or null when the message has no delivery-status part. */
function bounceDetails(parts: readonly ReportPart[]): BounceDetails | null {
  const reports = parts.filter((part) => DELIVERY_STATUS_PARTS.has(part.contentType));
  if (reports.length === 0) return null;
  const seen = new Set<string>();
  const recipients = reports
    .flatMap((report) => failedRecipients(report.text))
    .filter((address) => !seen.has(address.toLowerCase()) && seen.add(address.toLowerCase()))
    .slice(0, MAX_FAILED_RECIPIENTS);
  const original = parts.find((part) => ORIGINAL_MESSAGE_PARTS.has(part.contentType));
  const originalFields = original ? headerBlockFields(original.text) : [];
  return {
    failedRecipients: recipients,
    originalMessageId: messageIdsIn(fieldValues(originalFields, 'message-id'))[0] ?? null,
  };
}

/**
 * Whether a message comes from a mail system, judged without a usable From address: a report,
 * a null Return-Path, a null From (`<>`), or a sender named like a mail system (`MAILER-DAEMON`,
 * `Mail Delivery System <>`, `postmaster@localhost`). See docs/loop-prevention.md.
 */
function fromMailSystem(
  fields: readonly HeaderField[],
  senders: readonly EmailAddress[],
  isReport: boolean,
): boolean {
  return (
    isReport ||
    fieldValues(fields, 'return-path').some(isNullPath) ||
    fieldValues(fields, 'from').some((value) => /^<\s*>$/.test(value)) ||
    senders.some(
      (mailbox) =>
        isSystemName(mailbox.name) || (!!mailbox.address && isSystemAddress(mailbox.address)),
    )
  );
}

/**
 * Parses a raw message. Input that is not an email is refused with a HelperHttpError 400
 * `malformed_message`, and so is a person's message without a sender address; mail from a mail
 * system is parsed with `from: null` instead. No input makes this throw anything else.
 */
export async function parseMessage(
  raw: Buffer,
  { fileBytes }: { fileBytes?: number } = {},
): Promise<ParsedMessage> {
  const parsed = await parseOrRefuse(raw, fileBytes);
  const { headers, attachments } = parsed;
  if (headers === undefined) {
    throw malformedMessage('The message could not be parsed as RFC 5322 email.');
  }
  const headerFields = parsed.headerLines
    .map(({ line }) => headerField(line))
    .filter((field): field is HeaderField => field !== null);
  const isReport =
    rootContentType(headers) === 'multipart/report' ||
    attachments.some((attachment) => REPORT_PARTS.has(attachment.contentType.toLowerCase()));
  const senders = mailboxesOf(parsed.from);
  const sender = senders.find(
    (mailbox) => mailbox.address !== undefined && isMailboxAddress(mailbox.address),
  );
  if (sender === undefined && !fromMailSystem(headerFields, senders, isReport)) {
    throw noSenderError();
  }
  return {
    messageId: messageIdsIn(parsed.messageId)[0] ?? fallbackMessageId(raw),
    from: sender ? { address: sender.address!, name: sender.name } : null,
    replyTo: addressesOf(parsed.replyTo)[0] ?? null,
    to: addressesOf(parsed.to),
    subject: parsed.subject ?? '',
    // mailparser already made text out of the HTML when there is no plain text part.
    text: parsed.text?.text ?? '',
    html: parsed.text?.html || null,
    inReplyTo: messageIdsIn(parsed.inReplyTo)[0] ?? null,
    references: messageIdsIn(parsed.references),
    date: parsed.date ?? null,
    headers,
    headerFields,
    attachments,
    files: parsed.files,
    isReport,
    bounce: bounceDetails(parsed.reportParts),
  };
}

// How much of an unparseable message staff see as its text: enough to recognise it.
const UNPARSEABLE_TEXT_BYTES = 64 * 1024;

/**
 * A message that `parseMessage` refused, as staff are shown it: no sender, its first bytes as
 * text, and an id from its content, so a provider posting it again finds it a duplicate.
 */
export function unparseableMessage(raw: Buffer): ParsedMessage {
  return {
    messageId: fallbackMessageId(raw),
    from: null,
    replyTo: null,
    to: [],
    subject: '',
    text: raw.subarray(0, UNPARSEABLE_TEXT_BYTES).toString('utf8'),
    html: null,
    inReplyTo: null,
    references: [],
    date: null,
    headers: new Map(),
    headerFields: [],
    attachments: [],
    files: [],
    isReport: false,
    bounce: null,
    unparseable: true,
  };
}
