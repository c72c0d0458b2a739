import { buildChatLink } from '@helperkit/core';
import type { SendMailOptions } from 'nodemailer';
import { ownMessageId } from './own-message-id.js';
import { isMadeUpMessageId, type InboundMessage } from './parse.js';
import { replyRecipient } from './reply-recipient.js';

export interface AutoReplyInput {
  original: InboundMessage;
  /** Whom the reply goes to (default: `replyRecipient(original)`). */
  recipient?: string;
  /** The mailbox's own address; the reply's Message-ID takes its domain. */
  mailboxAddress: string;
  /** The reply's From header (default: `mailboxAddress`). */
  from?: string;
  /** The mailbox's `widgetHost` setting: the page the chat link opens. */
  widgetHost: string;
  /** A chat link token for the conversation (see ChatLinkTokens). */
  linkToken: string;
}

/** Longest subject kept from the original, in characters, before the `Re: ` prefix. */
export const MAX_SUBJECT_LENGTH = 200;
// The References of a long thread are trimmed, keeping the thread's root (RFC 5322 3.6.4).
const MAX_REFERENCES = 20;

// Any run of reply prefixes: "Re:", "RE:", "Re :", "re[2]:", repeated.
const REPLY_PREFIXES = /^(?:\s*re\s*(?:\[\d+\])?\s*:)+\s*/i;

/**
 * The original subject as one safe line: control characters (CR and LF above all, the stuff of
 * header injection) become spaces, reply prefixes go, and it is cut at MAX_SUBJECT_LENGTH.
 */
export function cleanSubject(subject: string): string {
  const line = subject
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(REPLY_PREFIXES, '')
    .trim();
  const characters = [...line];
  if (characters.length <= MAX_SUBJECT_LENGTH) return line;
  return `${characters
    .slice(0, MAX_SUBJECT_LENGTH - 1)
    .join('')
    .trimEnd()}…`;
}

/** `Re: <original>` with exactly one prefix; `Re: Your message` when the original had none. */
export const replySubject = (subject: string): string =>
  `Re: ${cleanSubject(subject) || 'Your message'}`;

/** The original's References plus its Message-ID (not one made up here), de-duplicated, root kept. */
export const threadReferences = (original: InboundMessage): string[] =>
  trimmedReferences(
    [...original.references, original.messageId].filter((id) => !isMadeUpMessageId(id)),
  );

/** A thread's Message-IDs, oldest first, as a References list: de-duplicated, root kept. */
export function trimmedReferences(thread: readonly string[]): string[] {
  const ids = [...new Set(thread)];
  return ids.length <= MAX_REFERENCES
    ? ids
    : [ids[0]!, ...ids.slice(ids.length - (MAX_REFERENCES - 1))];
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe inside HTML content and quoted attribute values. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);

function bodies(topic: string, link: string): Pick<SendMailOptions, 'text' | 'html'> {
  const text = [
    'Hello,',
    '',
    `We got your message about "${topic}".`,
    '',
    `Continue your conversation about ${topic} in our chat:`,
    link,
    '',
    'This is an automatic reply. The link opens the conversation in your browser.',
  ].join('\n');
  const html = [
    '<!doctype html>',
    '<html><body>',
    '<p>Hello,</p>',
    `<p>We got your message about &ldquo;${escapeHtml(topic)}&rdquo;.</p>`,
    `<p>Continue your conversation about ${escapeHtml(topic)} in our chat:<br>`,
    `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`,
    '<p>This is an automatic reply. The link opens the conversation in your browser.</p>',
    '</body></html>',
  ].join('\n');
  return { text, html };
}

/**
 * The auto-reply to an inbound message (docs/email.md, RFC 3834), as nodemailer message options: to the
 * Reply-To else the From, threaded under the original, marked `Auto-Submitted: auto-replied`, and
 * sent with a null envelope sender (`MAIL FROM:<>`) so that a bounce of the reply, or another
 * autoresponder, never answers back.
 */
export function composeAutoReply(input: AutoReplyInput): SendMailOptions {
  const { original, mailboxAddress } = input;
  const recipient = input.recipient ?? replyRecipient(original);
  const topic = cleanSubject(original.subject) || 'your message';
  return {
    from: input.from ?? mailboxAddress,
    to: recipient,
    subject: replySubject(original.subject),
    // Set here rather than by nodemailer, so a retry from the outbox sends the same message.
    messageId: ownMessageId(mailboxAddress),
    // Only an id the customer's own mail has threads the reply under their message.
    ...(isMadeUpMessageId(original.messageId) ? {} : { inReplyTo: original.messageId }),
    references: threadReferences(original),
    headers: {
      'Auto-Submitted': 'auto-replied',
      'X-Auto-Response-Suppress': 'All',
    },
    // An empty `from` is nodemailer's null reverse-path: its SMTP client sends `MAIL FROM:<>`.
    envelope: { from: '', to: [recipient] },
    ...bodies(topic, buildChatLink(input.widgetHost, input.linkToken)),
  };
}
