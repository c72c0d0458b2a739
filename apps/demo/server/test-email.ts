import { randomUUID } from 'node:crypto';
import { SUPPORT_ADDRESS } from './customers.js';

/**
 * What the test email pretends to be. A customer's email gets the chat auto-reply; the others
 * show helperkit's loop prevention (RFC 3834), which answers them with no reply.
 */
export const TEST_EMAIL_KINDS = {
  customer: [],
  autoresponder: ['Auto-Submitted: auto-replied'],
  'mailing-list': ['List-Id: <news.demo.localhost>', 'Precedence: list'],
  bounce: ['Return-Path: <>'],
} as const satisfies Record<string, readonly string[]>;

export type TestEmailKind = keyof typeof TEST_EMAIL_KINDS;

export interface TestEmail {
  from: string;
  fromName?: string;
  subject: string;
  text: string;
  kind: TestEmailKind;
}

/**
 * The demo's stand-in for a receiving MTA: the authserv-id it vouches with, as a real MTA (Postfix
 * with OpenDMARC, say) adds `Authentication-Results` to every message it accepts.
 */
export const DEMO_AUTHSERV_ID = 'mx.demo.localhost';

/** One header line's value with no line breaks (no header injection), RFC 2047-encoded if needed. */
function headerText(value: string): string {
  const line = value.replace(/[\r\n\u0000-\u001f\u007f]+/g, ' ').trim();
  if (/^[\x20-\x7e]*$/.test(line)) return line;
  return `=?UTF-8?B?${Buffer.from(line, 'utf8').toString('base64')}?=`;
}

/**
 * The raw RFC 5322 message a mail client would send to the support address: what helperkit's
 * inbound endpoint receives as `message/rfc822`.
 */
export function composeTestEmail(email: TestEmail, date = new Date()): string {
  const from =
    email.fromName === undefined
      ? email.from
      : `"${headerText(email.fromName).replace(/["\\]/g, '')}" <${email.from}>`;
  const body = email.text.replace(/\r?\n/g, '\r\n');
  const domain = email.from.slice(email.from.lastIndexOf('@') + 1);
  return [
    // The demo's "MTA" checked the sender: DMARC passed for the From domain.
    `Authentication-Results: ${DEMO_AUTHSERV_ID}; dmarc=pass header.from=${domain}`,
    `From: ${from}`,
    `To: ${SUPPORT_ADDRESS}`,
    `Subject: ${headerText(email.subject)}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${randomUUID()}@demo.localhost>`,
    ...TEST_EMAIL_KINDS[email.kind],
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    body,
    '',
  ].join('\r\n');
}
