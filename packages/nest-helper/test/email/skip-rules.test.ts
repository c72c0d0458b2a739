import { describe, expect, it } from '@jest/globals';
import { parseMessage, type InboundMessage } from '../../src/email/parse.js';
import {
  autoSubmitted,
  bounce,
  FEATURE_OFF,
  firstSkipReason,
  listHeaders,
  NOT_FIRST_MESSAGE,
  ownAddress,
  precedence,
  RATE_LIMITED,
  returnPathNull,
  SKIP_RULES,
  systemSender,
  xAutoreply,
  xAutoResponseSuppress,
  type SkipRule,
} from '../../src/email/skip-rules.js';
import { fixtureNames, MAILBOX, parsedFixture } from './support.js';

const context = { mailboxAddress: MAILBOX };

/** A plain message from a person, with extra header lines. */
const messageWith = (...headerLines: string[]): Promise<InboundMessage> =>
  parseMessage(
    Buffer.from(
      [
        'From: Ann Lee <ann@example.net>',
        'To: support@example.com',
        'Subject: Hello',
        'Message-ID: <hello-1@example.net>',
        ...headerLines,
        '',
        'Hello there.',
        '',
      ].join('\r\n'),
    ),
  );

const applies = async (rule: SkipRule, message: Promise<InboundMessage>) =>
  rule.applies(await message, context);

describe('each loop-prevention rule', () => {
  it('return-path-null: Return-Path <> only', async () => {
    expect(returnPathNull.reason).toBe('return-path-null');
    expect(await applies(returnPathNull, parsedFixture('bounce.eml'))).toBe(true);
    expect(await applies(returnPathNull, messageWith('Return-Path: < >'))).toBe(true);
    expect(await applies(returnPathNull, parsedFixture('gmail-plain.eml'))).toBe(false);
    expect(await applies(returnPathNull, messageWith())).toBe(false);
  });

  it('auto-submitted: any value but "no"', async () => {
    expect(autoSubmitted.reason).toBe('auto-submitted');
    expect(await applies(autoSubmitted, parsedFixture('gmail-vacation.eml'))).toBe(true);
    expect(await applies(autoSubmitted, parsedFixture('outlook-out-of-office.eml'))).toBe(true);
    expect(await applies(autoSubmitted, messageWith('Auto-Submitted: Auto-Generated'))).toBe(true);
    expect(
      await applies(autoSubmitted, messageWith('Auto-Submitted: auto-notified; owner-email=x@y.z')),
    ).toBe(true);
    expect(await applies(autoSubmitted, messageWith('Auto-Submitted: No'))).toBe(false);
    expect(
      await applies(autoSubmitted, messageWith('Auto-Submitted: no (a person wrote this)')),
    ).toBe(false);
    expect(await applies(autoSubmitted, parsedFixture('gmail-plain.eml'))).toBe(false);
  });

  it('precedence: bulk, list, junk, auto_reply, in any case', async () => {
    expect(precedence.reason).toBe('precedence');
    expect(await applies(precedence, parsedFixture('newsletter.eml'))).toBe(true);
    expect(await applies(precedence, parsedFixture('mailing-list.eml'))).toBe(true);
    for (const value of ['JUNK', 'Auto_Reply', 'bulk']) {
      expect(await applies(precedence, messageWith(`Precedence: ${value}`))).toBe(true);
    }
    expect(await applies(precedence, messageWith('Precedence: first-class'))).toBe(false);
    expect(await applies(precedence, parsedFixture('gmail-plain.eml'))).toBe(false);
  });

  it('list-headers: any List-* header', async () => {
    expect(listHeaders.reason).toBe('list-headers');
    expect(await applies(listHeaders, parsedFixture('mailing-list.eml'))).toBe(true);
    expect(await applies(listHeaders, parsedFixture('shop-receipt.eml'))).toBe(true);
    expect(await applies(listHeaders, messageWith('List-Id: <team.example.net>'))).toBe(true);
    expect(await applies(listHeaders, messageWith('List-Owner: <mailto:o@example.net>'))).toBe(
      true,
    );
    expect(await applies(listHeaders, messageWith('Listing: not a list header'))).toBe(false);
    expect(await applies(listHeaders, parsedFixture('outlook-multipart.eml'))).toBe(false);
  });

  it('x-autoreply: X-Autoreply or X-Autorespond', async () => {
    expect(xAutoreply.reason).toBe('x-autoreply');
    expect(await applies(xAutoreply, parsedFixture('x-autoreply.eml'))).toBe(true);
    expect(await applies(xAutoreply, messageWith('X-Autorespond: on'))).toBe(true);
    expect(await applies(xAutoreply, messageWith('X-AutoReply: yes'))).toBe(true);
    expect(await applies(xAutoreply, parsedFixture('apple-mail.eml'))).toBe(false);
  });

  it('x-auto-response-suppress: All or AutoReply among its values', async () => {
    expect(xAutoResponseSuppress.reason).toBe('x-auto-response-suppress');
    const rule = xAutoResponseSuppress;
    expect(await applies(rule, parsedFixture('outlook-out-of-office.eml'))).toBe(true);
    expect(await applies(rule, parsedFixture('exchange-legacy-out-of-office.eml'))).toBe(true);
    expect(await applies(rule, messageWith('X-Auto-Response-Suppress: all'))).toBe(true);
    expect(await applies(rule, messageWith('X-Auto-Response-Suppress: DR,AUTOREPLY'))).toBe(true);
    expect(await applies(rule, messageWith('X-Auto-Response-Suppress: OOF, DR'))).toBe(false);
    expect(await applies(rule, messageWith('X-Auto-Response-Suppress: AutoReplyAll'))).toBe(false);
    expect(await applies(rule, parsedFixture('outlook-multipart.eml'))).toBe(false);
  });

  it.each([
    'MAILER-DAEMON@mx.example.com',
    'postmaster@example.net',
    'noreply@example.net',
    'no-reply@accounts.example.com',
    'No_Reply@example.net',
    'do-not-reply@example.net',
    'DoNotReply@example.net',
    'noreply+billing@example.net',
    'no-reply-notifications@example.net',
  ])('system-sender: %s is a system or no-reply address', async (address) => {
    expect(await applies(systemSender, messageWith().then(withFrom(address)))).toBe(true);
  });

  it.each(['norene@example.net', 'reply@example.net', 'post@example.net', 'noreplies@example.net'])(
    'system-sender: %s is a person',
    async (address) => {
      expect(await applies(systemSender, messageWith().then(withFrom(address)))).toBe(false);
    },
  );

  it('system-sender: also when the reply would go to a no-reply Reply-To', async () => {
    expect(systemSender.reason).toBe('system-sender');
    expect(await applies(systemSender, parsedFixture('no-reply-sender.eml'))).toBe(true);
    expect(await applies(systemSender, messageWith('Reply-To: noreply@example.net'))).toBe(true);
    expect(await applies(systemSender, parsedFixture('gmail-plain.eml'))).toBe(false);
  });

  it('own-address: the mailbox itself, in any case, as From or Reply-To', async () => {
    expect(ownAddress.reason).toBe('own-address');
    expect(await applies(ownAddress, parsedFixture('from-mailbox-itself.eml'))).toBe(true);
    expect(await applies(ownAddress, messageWith('Reply-To: SUPPORT@example.com'))).toBe(true);
    expect(await applies(ownAddress, parsedFixture('gmail-plain.eml'))).toBe(false);
    expect(
      ownAddress.applies(await parsedFixture('gmail-plain.eml'), { mailboxAddress: 'a@b.c' }),
    ).toBe(false);
  });

  it('bounce: delivery reports and read receipts', async () => {
    expect(bounce.reason).toBe('bounce');
    expect(await applies(bounce, parsedFixture('bounce.eml'))).toBe(true);
    expect(await applies(bounce, parsedFixture('read-receipt.eml'))).toBe(true);
    expect(await applies(bounce, parsedFixture('with-attachment.eml'))).toBe(false);
  });
});

function withFrom(address: string) {
  return (message: InboundMessage): InboundMessage => ({ ...message, from: { address, name: '' } });
}

describe('firstSkipReason over the corpus', () => {
  const expected: Record<string, string | null> = {
    'apple-mail.eml': null,
    'bounce.eml': 'return-path-null',
    'encoded-subject-latin1-q.eml': null,
    'encoded-subject-utf8-b.eml': null,
    'exchange-legacy-out-of-office.eml': 'x-auto-response-suppress',
    'from-mailbox-itself.eml': 'own-address',
    'gmail-plain.eml': null,
    'gmail-vacation.eml': 'auto-submitted',
    'html-only.eml': null,
    'mailing-list.eml': 'precedence',
    'malformed-broken-boundary.eml': null,
    'newsletter.eml': 'precedence',
    'no-reply-sender.eml': 'system-sender',
    'outlook-multipart.eml': null,
    'outlook-out-of-office.eml': 'auto-submitted',
    'read-receipt.eml': 'bounce',
    'shop-receipt.eml': 'list-headers',
    'subject-injection.eml': null,
    'thread-reply.eml': null,
    'with-attachment.eml': null,
    'x-autoreply.eml': 'x-autoreply',
  };

  it('covers every parseable fixture', () => {
    expect(Object.keys(expected).sort()).toEqual(
      fixtureNames().filter((name) => name !== 'malformed-no-from.eml'),
    );
  });

  it.each(Object.entries(expected))('%s → %s', async (name, reason) => {
    expect(firstSkipReason(await parsedFixture(name), context)).toBe(reason);
  });

  it('reports every rule of the list for some fixture', () => {
    const reported = new Set(Object.values(expected));
    expect(SKIP_RULES.map((rule) => rule.reason).filter((reason) => !reported.has(reason))).toEqual(
      [],
    );
  });
});

describe('reasons decided by the service', () => {
  it('have stable names too', () => {
    expect([FEATURE_OFF, NOT_FIRST_MESSAGE, RATE_LIMITED]).toEqual([
      'feature-off',
      'not-first-message',
      'rate-limited',
    ]);
  });
});
