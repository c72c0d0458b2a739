import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Address, Attachment, Headers } from 'nodemailer';
import { MADE_UP_ID_DOMAIN } from '../parse.js';

// Providers that parse the message for us (SendGrid's default mode, Mailgun's parsed form,
// Postmark) post its parts; the pipeline reads one RFC 5322 message. MailComposer rebuilds it, so
// loop rules, threading, sender authentication and attachments see what raw MIME would show.
// See docs/email.md.

/** One header field of the original message, as the provider listed it. */
export interface HeaderPair {
  name: string;
  value: string;
}

/** What a provider tells of a message, ready to compose. */
export interface MessageParts {
  from: string | Address | undefined;
  to: string | Address[] | undefined;
  cc?: string | Address[] | undefined;
  replyTo?: string | undefined;
  subject: string;
  messageId: string;
  date?: string | undefined;
  text?: string | undefined;
  html?: string | undefined;
  attachments: Attachment[];
  /** The original's header fields, in order; those composed from the parts above are left out. */
  headers: readonly HeaderPair[];
}

// Headers MailComposer writes itself from the parts; every other header of the original is
// carried over, so loop prevention and threading (Auto-Submitted, Precedence, List-*,
// X-Autoreply, In-Reply-To, References, Return-Path…) and the providers' verdict headers
// see what the sender and the provider wrote, in their order.
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

const PROVIDER_ID = /^[\w.-]{1,128}$/;

// A header name is printable ASCII without a colon (RFC 5322 section 2.2).
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

/** The first value of a header, by case-insensitive name; undefined when absent or empty. */
export function headerValue(headers: readonly HeaderPair[], name: string): string | undefined {
  const found = headers.find((header) => header.name.toLowerCase() === name);
  return found?.value ? found.value : undefined;
}

/** The header fields of a raw header block (SendGrid's `headers`), folded lines unfolded. */
export function headerBlock(block: string): HeaderPair[] {
  return block
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .flatMap((line) => {
      const colon = line.indexOf(':');
      return colon > 0
        ? [{ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() }]
        : [];
    });
}

/**
 * The message's own Message-ID, else one made from what stays the same when the provider posts
 * the message again (never left to MailComposer, which makes a new one each time: a redelivery
 * must keep its id to be found a duplicate).
 */
export function messageIdOf(
  headers: readonly HeaderPair[],
  provider: string,
  stableParts: readonly (string | Buffer | undefined)[],
): string {
  const original = headerValue(headers, 'message-id');
  if (original !== undefined) return original;
  const [only] = stableParts;
  // A provider's own id that is safe in a Message-ID is used as it is, so staff can look it up.
  if (stableParts.length === 1 && typeof only === 'string' && PROVIDER_ID.test(only)) {
    return `<${only}@${provider}.${MADE_UP_ID_DOMAIN}>`;
  }
  const hash = createHash('sha256');
  for (const part of stableParts) hash.update(part ?? '').update('\0');
  return `<${hash.digest('hex')}@${provider}.${MADE_UP_ID_DOMAIN}>`;
}

const carried = (headers: readonly HeaderPair[]): Headers =>
  headers.flatMap((header) =>
    HEADER_NAME.test(header.name) && !COMPOSED_HEADERS.has(header.name.toLowerCase())
      ? [{ key: header.name, value: header.value.replace(/[\r\n]+/g, ' ') }]
      : [],
  );

/** The message as RFC 5322 bytes. */
export function composeMessage(parts: MessageParts): Promise<Buffer> {
  const composer = new MailComposer({
    from: parts.from,
    to: parts.to,
    cc: parts.cc,
    replyTo: parts.replyTo,
    subject: parts.subject,
    messageId: parts.messageId,
    date: parts.date,
    text: parts.text,
    html: parts.html,
    attachments: parts.attachments,
    headers: carried(parts.headers),
    // The content is data from the request: never let it point MailComposer at files or URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}
