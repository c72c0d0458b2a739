import type { SendMailOptions } from 'nodemailer';
import { escapeHtml, replySubject, trimmedReferences } from './auto-reply.js';
import { ownMessageId } from './own-message-id.js';

export interface ContinuityEmailInput {
  /** The customer's address. */
  to: string;
  /** The mailbox's From header. */
  from: string;
  /** The mailbox's own address; the email's Message-ID takes its domain. */
  mailboxAddress: string;
  /** The conversation's subject (null for one started in the chat). */
  subject: string | null;
  /** The staff replies the customer has not read, oldest first. */
  replies: readonly string[];
  /** Message-IDs of the conversation's earlier emails, oldest first: the email threads under them. */
  thread: readonly string[];
  /** The chat link that opens the conversation, when the mailbox has a `widgetHost`. */
  chatLink: string | null;
}

const CHAT_INVITATION = 'Answer this email, or continue the conversation in our chat:';

function bodies(replies: readonly string[], link: string | null) {
  const text = [
    ...replies.flatMap((reply) => [reply, '']),
    ...(link ? ['--', CHAT_INVITATION, link] : ['--', 'Answer this email to continue.']),
  ].join('\n');
  const paragraphs = replies.map(
    (reply) => `<p>${escapeHtml(reply).replace(/\r?\n/g, '<br>\n')}</p>`,
  );
  const footer = link
    ? `<p>${CHAT_INVITATION}<br>\n<a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`
    : '<p>Answer this email to continue.</p>';
  const html = ['<!doctype html>', '<html><body>', ...paragraphs, '<hr>', footer, '</body></html>'];
  return { text, html: html.join('\n') };
}

/**
 * The email that brings a staff reply the customer has not seen to their inbox (docs/email.md,
 * "Continuity"). A person's reply, so no `Auto-Submitted` and a normal envelope sender (a bounce
 * comes back to the mailbox); `X-Auto-Response-Suppress` asks Exchange not to answer it with an
 * out-of-office. Threaded under the conversation's earlier emails.
 */
export function composeContinuityEmail(input: ContinuityEmailInput): SendMailOptions {
  const references = trimmedReferences(input.thread);
  return {
    from: input.from,
    to: input.to,
    subject: replySubject(input.subject ?? ''),
    // Set here, so a retry sends the same message and an answer threads back to it.
    messageId: ownMessageId(input.mailboxAddress),
    ...(references.length > 0 ? { inReplyTo: references.at(-1), references } : {}),
    headers: { 'X-Auto-Response-Suppress': 'OOF, AutoReply' },
    ...bodies(input.replies, input.chatLink),
  };
}
