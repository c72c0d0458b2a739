import { describe, expect, it } from '@jest/globals';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { simpleParser } from 'mailparser';
import {
  composeAutoReply,
  MAX_SUBJECT_LENGTH,
  replySubject,
  type AutoReplyInput,
} from '../../src/email/auto-reply.js';
import type { InboundMessage } from '../../src/email/parse.js';
import { MAILBOX, parsedFixture } from './support.js';

const WIDGET_HOST = 'https://app.example.com/help?lang=en';
const TOKEN = 'eyJjIjoiY252In0.c2lnbmF0dXJl';
const LINK = 'https://app.example.com/help?lang=en&helper_chat=eyJjIjoiY252In0.c2lnbmF0dXJl';

const reply = (original: InboundMessage, extra: Partial<AutoReplyInput> = {}) =>
  composeAutoReply({
    original,
    mailboxAddress: MAILBOX,
    widgetHost: WIDGET_HOST,
    linkToken: TOKEN,
    ...extra,
  });

describe('composeAutoReply', () => {
  it('answers the sender, from the mailbox or the configured From', async () => {
    const original = await parsedFixture('gmail-plain.eml');
    expect(reply(original)).toMatchObject({ to: 'ann.lee.customer@gmail.com', from: MAILBOX });
    expect(reply(original, { from: '"Acme" <support@example.com>' }).from).toBe(
      '"Acme" <support@example.com>',
    );
  });

  it('answers a Reply-To within the From’s domain, never one elsewhere', async () => {
    const original = await parsedFixture('gmail-plain.eml');
    const sameDomain = reply({ ...original, replyTo: 'tickets@gmail.com' });
    expect(sameDomain.to).toBe('tickets@gmail.com');
    expect(sameDomain.envelope).toEqual({ from: '', to: ['tickets@gmail.com'] });
    const elsewhere = reply({ ...original, replyTo: 'tickets@customer.example' });
    expect(elsewhere.to).toBe(original.from.address);
    expect(elsewhere.envelope).toEqual({ from: '', to: [original.from.address] });
  });

  it('threads under the original: In-Reply-To, and References ending with its Message-ID', async () => {
    const original = await parsedFixture('thread-reply.eml');
    const composed = reply(original);
    expect(composed.inReplyTo).toBe(original.messageId);
    expect(composed.references).toEqual([...original.references, original.messageId]);
  });

  it('never names a Message-ID made up for a message that came without one', async () => {
    const original = await parsedFixture('thread-reply.eml');
    const composed = reply({ ...original, messageId: '<73e6d360@postmark.helperkit.invalid>' });
    expect(composed.inReplyTo).toBeUndefined();
    expect(composed.references).toEqual(original.references);
  });

  it('trims the References of a very long thread, keeping its root', async () => {
    const original = await parsedFixture('gmail-plain.eml');
    const references = Array.from({ length: 50 }, (_, index) => `<id-${index}@example.net>`);
    const composed = reply({ ...original, references });
    expect(composed.references).toHaveLength(20);
    expect((composed.references as string[])[0]).toBe('<id-0@example.net>');
    expect((composed.references as string[]).at(-1)).toBe(original.messageId);
  });

  it('is marked as an automatic reply, and asks for no automatic answer', async () => {
    expect(reply(await parsedFixture('gmail-plain.eml')).headers).toEqual({
      'Auto-Submitted': 'auto-replied',
      'X-Auto-Response-Suppress': 'All',
    });
  });

  it('goes out with a null envelope sender, so its bounces come back to nobody', async () => {
    expect(reply(await parsedFixture('gmail-plain.eml')).envelope).toEqual({
      from: '',
      to: ['ann.lee.customer@gmail.com'],
    });
  });

  it('carries its own Message-ID in the mailbox domain', async () => {
    expect(reply(await parsedFixture('gmail-plain.eml')).messageId).toMatch(
      /^<[0-9a-f-]{36}@example\.com>$/,
    );
  });

  it('links to the widget host with the token, in both bodies', async () => {
    const composed = reply(await parsedFixture('gmail-plain.eml'));
    expect(composed.text).toContain(LINK);
    expect(composed.text).toContain(`We got your message about "Can't download my invoice".`);
    expect(composed.html).toContain(`href="${LINK.replace('&', '&amp;')}"`);
    expect(composed.html).toContain('Can&#39;t download my invoice');
  });

  it('escapes the subject in the HTML body', async () => {
    const original = await parsedFixture('gmail-plain.eml');
    const composed = reply({ ...original, subject: '<img src=x onerror="alert(1)"> & more' });
    expect(composed.html).not.toContain('<img');
    expect(composed.html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; more');
  });
});

describe('the reply subject', () => {
  it.each([
    ["Can't download my invoice", "Re: Can't download my invoice"],
    ['Re: Re: Can’t log in', 'Re: Can’t log in'],
    ['RE: Invoice', 'Re: Invoice'],
    ['Re : Invoice', 'Re: Invoice'],
    ['re[2]: Re:Invoice', 'Re: Invoice'],
    ['  Invoice   March  ', 'Re: Invoice March'],
    ['Regarding my invoice', 'Re: Regarding my invoice'],
    ['', 'Re: Your message'],
    ['Re:', 'Re: Your message'],
  ])('%j becomes %j', (subject, expected) => {
    expect(replySubject(subject)).toBe(expected);
  });

  it('keeps no CR or LF of an injection attempt, and has one Re:', async () => {
    const original = await parsedFixture('subject-injection.eml');
    const subject = reply(original).subject!;
    expect(subject).toBe('Re: Hello Bcc: victim@example.com');
    expect(subject).not.toMatch(/[\r\n]/);
    expect(reply(original).text).not.toMatch(/\r/);
  });

  it('adds no header when the message is built', async () => {
    const original = await parsedFixture('subject-injection.eml');
    const built = await new MailComposer(reply(original)).compile().build();
    const parsed = await simpleParser(built);
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.subject).toBe('Re: Hello Bcc: victim@example.com');
  });

  it('is cut to a readable length', () => {
    const subject = replySubject('word '.repeat(200));
    expect([...subject].length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH + 'Re: '.length);
    expect(subject.endsWith('…')).toBe(true);
  });
});
