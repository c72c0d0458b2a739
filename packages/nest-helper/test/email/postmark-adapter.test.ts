import { describe, expect, it } from '@jest/globals';
import { postmarkAdapter, type PostmarkInbound } from '../../src/email/adapters/postmark.js';
import { resolveEmailOptions } from '../../src/email/email.options.js';
import { parseMessage } from '../../src/email/parse.js';
import { firstSkipReason } from '../../src/email/skip-rules.js';
import {
  adapterOptions,
  basicAuth,
  expectHttpError,
  fixture,
  INBOUND_SECRET,
  MAILBOX,
} from './support.js';

const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

// Shaped like Postmark's inbound webhook (https://postmarkapp.com/developer/webhooks/inbound-webhook).
const payload = (overrides: Partial<PostmarkInbound> = {}): PostmarkInbound =>
  ({
    FromName: 'Ann Lee',
    MessageStream: 'inbound',
    From: 'ann.lee.customer@gmail.com',
    FromFull: { Email: 'ann.lee.customer@gmail.com', Name: 'Ann Lee', MailboxHash: '' },
    To: '"Support" <support@example.com>',
    ToFull: [{ Email: 'support@example.com', Name: 'Support', MailboxHash: '' }],
    Cc: '',
    CcFull: [],
    Bcc: '',
    BccFull: [],
    OriginalRecipient: 'support@example.com',
    Subject: 'Réglage du compte',
    MessageID: '73e6d360-66eb-11e1-8e72-a8904824019b',
    ReplyTo: 'ann.work@example.net',
    MailboxHash: '',
    Date: 'Fri, 1 Aug 2025 16:45:32 -04:00',
    TextBody: 'Bonjour, comment régler mon compte ?',
    HtmlBody: '<p>Bonjour, comment régler mon compte ?</p>',
    StrippedTextReply: '',
    Tag: '',
    Headers: [
      { Name: 'X-Spam-Status', Value: 'No' },
      { Name: 'Received', Value: 'by mail-sor-f41.google.com with SMTP id a1' },
      { Name: 'Received', Value: 'by 2002:a05:6a10 with SMTP id b2' },
      { Name: 'Message-ID', Value: '<CAF3kq9original@mail.gmail.com>' },
      { Name: 'In-Reply-To', Value: '<reply-1001@example.com>' },
      { Name: 'References', Value: '<root-1@example.com> <reply-1001@example.com>' },
      { Name: 'MIME-Version', Value: '1.0' },
    ],
    Attachments: [
      {
        Name: 'invoice.pdf',
        Content: PDF.toString('base64'),
        ContentType: 'application/pdf',
        ContentLength: PDF.length,
        ContentID: '',
      },
    ],
    ...overrides,
  }) as PostmarkInbound;

const request = (body: unknown) => ({
  authorization: basicAuth(INBOUND_SECRET),
  contentType: 'application/json; charset=utf-8',
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});

const parsedAnswer = async (body: PostmarkInbound) =>
  parseMessage((await postmarkAdapter(request(body), adapterOptions())).raw);

describe('Postmark inbound adapter', () => {
  it('answers RawEmail as it is when the server includes it', async () => {
    const raw = fixture('apple-mail.eml');
    const answer = await postmarkAdapter(
      request(payload({ RawEmail: raw.toString('utf8') })),
      adapterOptions(),
    );
    expect(answer.raw.equals(raw)).toBe(true);
  });

  it('rebuilds the message from the parsed fields otherwise', async () => {
    const message = await parsedAnswer(payload());
    expect(message.from).toEqual({ address: 'ann.lee.customer@gmail.com', name: 'Ann Lee' });
    expect(message.replyTo).toBe('ann.work@example.net');
    expect(message.to).toEqual(['support@example.com']);
    expect(message.subject).toBe('Réglage du compte');
    expect(message.text).toContain('comment régler mon compte');
    expect(message.html).toContain('<p>Bonjour, comment régler mon compte ?</p>');
    expect(message.attachments).toEqual([
      { filename: 'invoice.pdf', contentType: 'application/pdf', size: PDF.length },
    ]);
    expect(message.date?.toISOString()).toBe('2025-08-01T20:45:32.000Z');
  });

  it("keeps the sender's Message-ID and threading headers, not Postmark's id", async () => {
    const message = await parsedAnswer(payload());
    expect(message.messageId).toBe('<CAF3kq9original@mail.gmail.com>');
    expect(message.inReplyTo).toBe('<reply-1001@example.com>');
    expect(message.references).toEqual(['<root-1@example.com>', '<reply-1001@example.com>']);
    expect(message.headers.get('received')).toHaveLength(2);
  });

  it("makes a stable Message-ID from Postmark's id when the headers have none", async () => {
    const withoutId = payload({ Headers: [] });
    const first = await parsedAnswer(withoutId);
    expect(first.messageId).toBe(
      '<73e6d360-66eb-11e1-8e72-a8904824019b@postmark.helperkit.invalid>',
    );
    expect((await parsedAnswer(withoutId)).messageId).toBe(first.messageId);
  });

  it.each([
    [[{ Name: 'Auto-Submitted', Value: 'auto-replied' }], 'auto-submitted'],
    [[{ Name: 'Precedence', Value: 'bulk' }], 'precedence'],
    [[{ Name: 'List-Unsubscribe', Value: '<mailto:u@lists.example>' }], 'list-headers'],
    [[{ Name: 'X-Autoreply', Value: 'yes' }], 'x-autoreply'],
    [[{ Name: 'X-Auto-Response-Suppress', Value: 'All' }], 'x-auto-response-suppress'],
    [[{ Name: 'Return-Path', Value: '<>' }], 'return-path-null'],
  ])('keeps the headers the loop rules read: %j → %s', async (headers, reason) => {
    const message = await parsedAnswer(payload({ Headers: headers }));
    expect(firstSkipReason(message, { mailboxAddress: MAILBOX })).toBe(reason);
  });

  it('lets no header value add a header line', async () => {
    const message = await parsedAnswer(
      payload({ Headers: [{ Name: 'X-Note', Value: 'a\r\nBcc: victim@example.com' }] }),
    );
    expect(message.headers.has('bcc')).toBe(false);
    expect(message.headers.get('x-note')).toBe('a Bcc: victim@example.com');
  });

  it("stores Postmark's StrippedTextReply as the text when it found one, the HTML whole", async () => {
    const message = await parsedAnswer(
      payload({
        TextBody: 'Yes, Tuesday works.\n\nOn Monday Support wrote:\n> Does Tuesday work?',
        StrippedTextReply: 'Yes, Tuesday works.',
        HtmlBody: '<p>Yes, Tuesday works.</p><blockquote>Does Tuesday work?</blockquote>',
      }),
    );
    expect(message.text.trim()).toBe('Yes, Tuesday works.');
    expect(message.html).toContain('<blockquote>Does Tuesday work?</blockquote>');
    expect((await parsedAnswer(payload())).text.trim()).toBe(
      'Bonjour, comment régler mon compte ?',
    );
  });

  it('accepts 35 MiB of attachments by default, as Postmark sends them', async () => {
    const defaults = resolveEmailOptions({
      address: MAILBOX,
      smtp: 'smtp://localhost',
      inboundSecret: INBOUND_SECRET,
    });
    const attachment = Buffer.alloc(35 * 1024 * 1024, 7);
    const answer = await postmarkAdapter(
      request(
        payload({
          Attachments: [
            {
              Name: 'scan.tiff',
              ContentType: 'image/tiff',
              Content: attachment.toString('base64'),
            },
          ],
        }),
      ),
      defaults,
    );
    expect(answer.raw.length).toBeGreaterThan(attachment.length);
  });

  it('refuses a payload without a sender with 400', async () => {
    await expectHttpError(
      parsedAnswer(payload({ From: '', FromFull: {} as PostmarkInbound['FromFull'] })),
      400,
      'malformed_message',
    );
  });

  it.each([
    ['no Authorization', undefined],
    ['a wrong password', basicAuth('wrong-0123456789abcdefghijklmnopqrstuv')],
  ])('refuses %s with 401', async (_case, authorization) => {
    await expectHttpError(
      postmarkAdapter({ ...request(payload()), authorization }, adapterOptions()),
      401,
      'unauthorized',
    );
  });

  it('refuses a body that is not a JSON object with 400, and not JSON at all with 415', async () => {
    for (const body of ['{"From":', '[1,2]', 'null']) {
      await expectHttpError(postmarkAdapter(request(body), adapterOptions()), 400, 'bad_request');
    }
    await expectHttpError(
      postmarkAdapter({ ...request(payload()), contentType: 'text/plain' }, adapterOptions()),
      415,
      'unsupported_media_type',
    );
  });

  it('refuses a message over maxMessageBytes with 413', async () => {
    const big = Buffer.alloc(20_000, 1).toString('base64');
    await expectHttpError(
      postmarkAdapter(
        request(payload({ Attachments: [{ Name: 'big.bin', Content: big }] })),
        adapterOptions({ maxMessageBytes: 10_000 }),
      ),
      413,
      'payload_too_large',
    );
  });
});
