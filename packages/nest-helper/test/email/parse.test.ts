import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { HelperHttpError } from '../../src/errors.js';
import { parseMessage } from '../../src/email/parse.js';
import { expectHttpError, fixture, fixtureNames, parsedFixture } from './support.js';

const corpusMessage = (name: string) =>
  parseMessage(readFileSync(new URL(`./corpus/${name}`, import.meta.url)));

describe('parseMessage on the fixture corpus', () => {
  it.each([
    ['gmail-plain.eml', 'ann.lee.customer@gmail.com', 'Ann Lee', "Can't download my invoice"],
    [
      'outlook-multipart.eml',
      'm.schmidt@contoso.example',
      'Schmidt, Markus',
      'Login fails after password change',
    ],
    ['apple-mail.eml', 'chloe@icloud.example', 'Chloé Martin', 'Question about the café plan'],
    [
      'encoded-subject-utf8-b.eml',
      'lena.k@example.de',
      'Lena Köhler',
      'Frage zur Rechnung 🧾 – Bestellung #1234',
    ],
    [
      'encoded-subject-latin1-q.eml',
      'rene.dupont@example.fr',
      'René Dupont',
      'Problème de connexion à mon compte',
    ],
    [
      'newsletter.eml',
      'news@productweekly.example',
      'Product Weekly',
      'This week: 5 tips for faster support',
    ],
    [
      'subject-injection.eml',
      'mallory@attacker.example',
      'Mallory',
      'Hello\r\nBcc: victim@example.com',
    ],
  ])('%s: sender %s (%s), subject decoded', async (name, address, senderName, subject) => {
    const message = await parsedFixture(name);
    expect(message.from).toEqual({ address, name: senderName });
    expect(message.subject).toBe(subject);
  });

  it('decodes bodies in their own charset', async () => {
    expect((await parsedFixture('encoded-subject-latin1-q.eml')).text).toContain(
      "Je n'arrive pas à me connecter",
    );
    expect((await parsedFixture('apple-mail.eml')).text).toContain('does the café plan');
    expect((await parsedFixture('outlook-multipart.eml')).text).toContain(
      'The page says "invalid credentials"',
    );
  });

  it('keeps both bodies of multipart/alternative, and html is null when there is none', async () => {
    const gmail = await parsedFixture('gmail-plain.eml');
    expect(gmail.text).toContain('Could you send me the invoice for February?');
    expect(gmail.html).toContain('<div dir="ltr">');
    expect((await parsedFixture('thread-reply.eml')).html).toBeNull();
  });

  it('makes text out of an HTML-only message', async () => {
    const message = await parsedFixture('html-only.eml');
    expect(message.html).toContain('<strong>dark mode</strong>');
    expect(message.text).toContain('Any plans for a dark mode?');
  });

  it('answers Message-ID, In-Reply-To and every References id of a reply', async () => {
    const message = await parsedFixture('thread-reply.eml');
    expect(message.messageId).toBe(
      '<CAF3kq9zR5t7Y9b1D3f5H7j9L1n3P5r7T9v1X3z5B7d9F1h3J5l@mail.gmail.com>',
    );
    expect(message.inReplyTo).toBe('<reply-1001@example.com>');
    expect(message.references).toEqual([
      '<CAF3kq9yD0x=Uu6Zb4nK7sQm1xT2fW8pE5vR3aJ6hL9cN0gM4oA@mail.gmail.com>',
      '<reply-1001@example.com>',
    ]);
  });

  it('answers a single References id as a list, and none as an empty list', async () => {
    expect((await parsedFixture('gmail-vacation.eml')).references).toEqual([
      '<reply-7781@example.com>',
    ]);
    const first = await parsedFixture('gmail-plain.eml');
    expect(first.references).toEqual([]);
    expect(first.inReplyTo).toBeNull();
  });

  it('summarises attachments without keeping their content', async () => {
    const message = await parsedFixture('with-attachment.eml');
    expect(message.attachments).toEqual([
      { filename: 'PO-2025-0042.pdf', contentType: 'application/pdf', size: 142 },
    ]);
    expect(message.text).toContain('please find our purchase order attached');
  });

  it('answers Reply-To, the recipients and the date', async () => {
    const newsletter = await parsedFixture('newsletter.eml');
    expect(newsletter.replyTo).toBe('news@productweekly.example');
    expect(newsletter.to).toEqual(['support@example.com']);
    expect((await parsedFixture('gmail-plain.eml')).replyTo).toBeNull();
    expect((await parsedFixture('gmail-plain.eml')).date?.toISOString()).toBe(
      '2025-03-04T17:12:33.000Z',
    );
  });

  it('takes no delivery report or forwarded header for a file', async () => {
    const bounce = await parseMessage(fixture('bounce.eml'), { fileBytes: 1024 * 1024 });
    expect(bounce.attachments.length).toBeGreaterThan(0);
    expect(bounce.files).toEqual([]);
    const withFile = await parseMessage(fixture('with-attachment.eml'), { fileBytes: 1024 });
    expect(withFile.files.map(({ declaredName, size }) => ({ declaredName, size }))).toEqual([
      { declaredName: 'PO-2025-0042.pdf', size: 142 },
    ]);
  });

  it('knows a delivery report or a read receipt from mail a person wrote', async () => {
    expect((await parsedFixture('bounce.eml')).isReport).toBe(true);
    expect((await parsedFixture('read-receipt.eml')).isReport).toBe(true);
    expect((await parsedFixture('with-attachment.eml')).isReport).toBe(false);
  });

  it('reads what it can of a message whose boundary is broken', async () => {
    const message = await parsedFixture('malformed-broken-boundary.eml');
    expect(message.from.address).toBe('careless@example.net');
    expect(message.subject).toBe('Broken message');
  });

  it('parses every fixture but the one without a sender', async () => {
    const results = await Promise.allSettled(fixtureNames().map((name) => parsedFixture(name)));
    const refused = fixtureNames().filter((_, index) => results[index]!.status === 'rejected');
    expect(refused).toEqual(['malformed-no-from.eml']);
  });
});

describe('parseMessage with a large attachment', () => {
  /** A message carrying `bytes` bytes of attachment, base64 encoded in 76-character lines. */
  const withAttachment = (bytes: number) => {
    const content = Buffer.alloc(bytes);
    for (let index = 0; index < bytes; index++) content[index] = (index * 7919) % 251;
    return Buffer.from(
      [
        'From: Big Sender <big@example.net>',
        'To: support@example.com',
        'Subject: Scan attached',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'The scan is attached.',
        '--b',
        'Content-Type: application/pdf; name="scan.pdf"',
        'Content-Transfer-Encoding: base64',
        'Content-Disposition: attachment; filename="scan.pdf"',
        '',
        content.toString('base64').replace(/.{76}/g, '$&\r\n'),
        '--b--',
        '',
      ].join('\r\n'),
    );
  };

  /** Every Buffer, typed array or stream reachable from `value`. */
  const heldContent = (value: unknown, seen = new Set<unknown>()): unknown[] => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return [];
    seen.add(value);
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return [value];
    if (typeof (value as { pipe?: unknown }).pipe === 'function') return [value];
    const children =
      value instanceof Map ? [...value.keys(), ...value.values()] : Object.values(value);
    return children.flatMap((child) => heldContent(child, seen));
  };

  it('counts the size of a 2 MB attachment and keeps none of its content', async () => {
    const bytes = 2 * 1024 * 1024;
    const message = await parseMessage(withAttachment(bytes));
    expect(message.attachments).toEqual([
      { filename: 'scan.pdf', contentType: 'application/pdf', size: bytes },
    ]);
    expect(message.text).toContain('The scan is attached.');
    expect(message.isReport).toBe(false);
    expect(heldContent(message)).toEqual([]);
  });

  it('keeps the bytes of a file within fileBytes and only counts a larger one', async () => {
    const bytes = 2 * 1024 * 1024;
    const raw = withAttachment(bytes);
    const kept = await parseMessage(raw, { fileBytes: bytes });
    expect(kept.files).toEqual([
      {
        declaredName: 'scan.pdf',
        declaredType: 'application/pdf',
        size: bytes,
        bytes: expect.any(Buffer),
      },
    ]);
    const base64 = raw.toString('latin1').split('\r\n\r\n')[3]!.split('\r\n--b--')[0]!;
    expect(kept.files[0]!.bytes!.equals(Buffer.from(base64, 'base64'))).toBe(true);

    const tooLarge = await parseMessage(raw, { fileBytes: bytes - 1 });
    expect(tooLarge.files).toEqual([
      { declaredName: 'scan.pdf', declaredType: 'application/pdf', size: bytes, bytes: null },
    ]);
    expect(heldContent(tooLarge)).toEqual([]);
  });

  it.each([
    [
      'a message cut short inside it',
      () => {
        const raw = withAttachment(300 * 1024);
        return raw.subarray(0, raw.indexOf('--b--'));
      },
      'application/pdf',
    ],
    [
      'a message whose whole body is the attachment',
      () =>
        Buffer.from(
          'From: a@example.net\r\nContent-Type: application/octet-stream\r\n' +
            'Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment\r\n\r\n' +
            Buffer.alloc(300 * 1024, 7)
              .toString('base64')
              .replace(/.{76}/g, '$&\r\n'),
        ),
      'application/octet-stream',
    ],
  ])('counts an attachment that ends %s', async (_case, raw, contentType) => {
    const message = await parseMessage(raw());
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0]!.contentType).toBe(contentType);
    expect(message.attachments[0]!.size).toBeGreaterThan(290 * 1024);
    expect(heldContent(message)).toEqual([]);
  });
});

describe('parseMessage fallbacks and refusals', () => {
  const withoutMessageId = (body: string) =>
    Buffer.from(`From: a@example.net\r\nTo: support@example.com\r\nSubject: x\r\n\r\n${body}\r\n`);

  it('makes a stable Message-ID from the bytes of a message that has none', async () => {
    const first = await parseMessage(withoutMessageId('one'));
    expect(first.messageId).toMatch(/^<[0-9a-f]{64}@helperkit\.invalid>$/);
    expect((await parseMessage(withoutMessageId('one'))).messageId).toBe(first.messageId);
    expect((await parseMessage(withoutMessageId('two'))).messageId).not.toBe(first.messageId);
  });

  it('answers an empty subject when there is none', async () => {
    const message = await parseMessage(Buffer.from('From: a@example.net\r\n\r\nbody\r\n'));
    expect(message.subject).toBe('');
  });

  it('refuses a message without From with 400 malformed_message', async () => {
    const message = await expectHttpError(
      parseMessage(fixture('malformed-no-from.eml')),
      400,
      'malformed_message',
    );
    expect(message).toMatch(/sender/);
  });

  it.each([
    ['a From with a name but no address', 'From: Just A Name\r\n\r\nbody'],
    ['a dotless From with nothing else of a mail system', 'From: bob@localhost\r\n\r\nbody'],
    ['an empty group as From', 'From: Undisclosed: ;\r\n\r\nbody'],
    ['no headers at all', ''],
    ['binary noise', '\u0000\u00ff\u00fe\r\n\r\n\u0001'],
  ])('refuses %s with 400 malformed_message', async (_case, raw) => {
    await expectHttpError(parseMessage(Buffer.from(raw, 'latin1')), 400, 'malformed_message');
  });
});

describe('parseMessage on mail from a mail system without a usable From', () => {
  const machineMail = (...headerLines: string[]) =>
    parseMessage(
      Buffer.from(
        [...headerLines, 'To: support@example.com', '', 'Delivery failed.', ''].join('\r\n'),
      ),
    );

  it.each([
    ['MAILER-DAEMON <>', 'From: MAILER-DAEMON <>'],
    ['a null From', 'From: <>'],
    ['Mail Delivery System <>', 'From: Mail Delivery System <>'],
    ['a bare MAILER-DAEMON', 'From: MAILER-DAEMON'],
    ['a bare Postmaster', 'From: Postmaster'],
    ['a mailer-daemon on a dotless domain', 'From: MAILER-DAEMON@mx01'],
    ['postmaster@localhost', 'From: postmaster@localhost'],
  ])('parses a From of %s with from: null instead of refusing it', async (_case, from) => {
    const message = await machineMail(from, 'Subject: Undelivered mail');
    expect(message.from).toBeNull();
    expect(message.subject).toBe('Undelivered mail');
    expect(message.text).toContain('Delivery failed.');
  });

  it('parses any message with a null Return-Path or a delivery report without a sender', async () => {
    expect((await machineMail('Return-Path: <>', 'From: Just A Name')).from).toBeNull();
    expect((await machineMail('Return-Path: <>')).from).toBeNull();
    const report = await parseMessage(
      Buffer.from(
        'From: Just A Name\r\nContent-Type: multipart/report; report-type=delivery-status; ' +
          'boundary="r"\r\n\r\n--r\r\nContent-Type: text/plain\r\n\r\nFailed.\r\n--r\r\n' +
          'Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n' +
          'Final-Recipient: rfc822; ann@example.net\r\nAction: failed\r\n--r--\r\n',
      ),
    );
    expect(report.from).toBeNull();
    expect(report.bounce?.failedRecipients).toEqual(['ann@example.net']);
  });

  it('keeps a usable From of a mail system as it is', async () => {
    const message = await machineMail('From: Mail Delivery System <MAILER-DAEMON@mx.example.com>');
    expect(message.from).toEqual({
      address: 'MAILER-DAEMON@mx.example.com',
      name: 'Mail Delivery System',
    });
  });
});

describe('parseMessage on delivery reports', () => {
  it('names the failed recipient and the bounced message of a Postfix report', async () => {
    const message = await corpusMessage('bounce-postfix.eml');
    expect(message.bounce).toEqual({
      failedRecipients: ['lena.k@gone.example'],
      originalMessageId: '<5b0e6f0c-2f4e-4c77-9a51-0d7f3e2c9a10@example.com>',
    });
    // The bounced copy's body is neither text of the report nor kept anywhere.
    expect(message.text).not.toContain('Continue in our chat');
  });

  it('reads the bounced message id from a text/rfc822-headers part', async () => {
    expect((await corpusMessage('bounce-gmail.eml')).bounce).toEqual({
      failedRecipients: ['m.rossi@example.it'],
      originalMessageId: '<9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d@example.com>',
    });
    expect((await parsedFixture('bounce.eml')).bounce).toEqual({
      failedRecipients: ['gone@nowhere.example'],
      originalMessageId: null,
    });
  });

  it('prefers the address the sender wrote (Original-Recipient) to the final one', async () => {
    expect((await corpusMessage('bounce-global-dsn.eml')).bounce?.failedRecipients).toEqual([
      'yamada@example.jp',
    ]);
  });

  it('lists only recipients whose delivery failed, each once', async () => {
    expect((await corpusMessage('bounce-delayed.eml')).bounce).toEqual({
      failedRecipients: [],
      originalMessageId: '<d3e4f5a6-b7c8-4d9e-0f1a-2b3c4d5e6f7a@example.com>',
    });
    const status = [
      'Reporting-MTA: dns; mx.example.com',
      '',
      'Final-Recipient: rfc822; a@example.net',
      'Action: failed',
      '',
      'Final-Recipient: rfc822; b@example.net',
      'Action: delivered',
      '',
      'Final-Recipient: rfc822; A@example.net',
      'Action: failed',
      '',
      'Final-Recipient: rfc822; c@example.net',
      'Action: FAILED',
      'Status: 5.1.1',
      '',
      'Final-Recipient: x400; c=us;a=;p=x',
      'Action: failed',
    ].join('\r\n');
    const message = await parseMessage(
      Buffer.from(
        'From: MAILER-DAEMON@mx.example.com\r\nContent-Type: multipart/report; ' +
          'report-type=delivery-status; boundary="r"\r\n\r\n--r\r\n' +
          `Content-Type: message/delivery-status\r\n\r\n${status}\r\n--r--\r\n`,
      ),
    );
    expect(message.bounce).toEqual({
      failedRecipients: ['a@example.net', 'c@example.net'],
      originalMessageId: null,
    });
  });

  describe('with report parts larger than what is read of them', () => {
    const report = (...parts: [string, string][]) =>
      Buffer.from(
        'From: MAILER-DAEMON@mx.example.com\r\nContent-Type: multipart/report; ' +
          'report-type=delivery-status; boundary="r"\r\n\r\n' +
          parts.map(([type, body]) => `--r\r\nContent-Type: ${type}\r\n\r\n${body}\r\n`).join('') +
          '--r--\r\n',
      );
    const recipientBlock = (address: string, action: string) =>
      `Final-Recipient: rfc822; ${address}\r\nAction: ${action}\r\n\r\n`;

    it('reads the first 64 KiB of a part', async () => {
      const status =
        'Reporting-MTA: dns; mx.example.com\r\n\r\n' +
        recipientBlock('first@example.net', 'failed') +
        recipientBlock('filler@example.net', 'delivered').repeat(3000) +
        recipientBlock('late@example.net', 'failed');
      expect(status.length).toBeGreaterThan(128 * 1024);
      const message = await parseMessage(report(['message/delivery-status', status]));
      expect(message.bounce?.failedRecipients).toEqual(['first@example.net']);
    });

    it('reads no more than 256 KiB of all report parts together', async () => {
      const headers = `Message-ID: <orig-1@example.com>\r\nX-Filler: ${'x'.repeat(70 * 1024)}\r\n`;
      const status = recipientBlock('after-budget@example.net', 'failed');
      const withinBudget = await parseMessage(
        report(['text/rfc822-headers', headers], ['message/delivery-status', status]),
      );
      expect(withinBudget.bounce).toEqual({
        failedRecipients: ['after-budget@example.net'],
        originalMessageId: '<orig-1@example.com>',
      });
      const overBudget = await parseMessage(
        report(
          ...Array.from({ length: 4 }, (): [string, string] => ['text/rfc822-headers', headers]),
          ['message/delivery-status', status],
        ),
      );
      expect(overBudget.isReport).toBe(true);
      expect(overBudget.bounce).toEqual({
        failedRecipients: [],
        originalMessageId: '<orig-1@example.com>',
      });
    });
  });

  it('finds no bounce in a person forwarding a bounce, attached or inline', async () => {
    for (const name of [
      'person-forwards-bounce-attached.eml',
      'person-forwards-bounce-inline.eml',
    ]) {
      const message = await corpusMessage(name);
      expect(message.bounce).toBeNull();
      expect(message.isReport).toBe(false);
      expect(message.from).not.toBeNull();
    }
  });

  it('knows an abuse report wrapped in multipart/mixed', async () => {
    const message = await corpusMessage('abuse-report-mixed.eml');
    expect(message.isReport).toBe(true);
    expect(message.bounce).toBeNull();
  });
});

describe('parseMessage header fields', () => {
  it('keeps every occurrence of a repeated header, unfolded, in order', async () => {
    const message = await parseMessage(
      Buffer.from(
        'From: ann@example.net\r\nPrecedence: never-bounce\r\nX-Note: one\r\n two\r\n' +
          'Precedence: bulk\r\n\r\nbody\r\n',
      ),
    );
    expect(message.headerFields.filter((field) => field.name !== 'from')).toEqual([
      { name: 'precedence', value: 'never-bounce' },
      { name: 'x-note', value: 'one two' },
      { name: 'precedence', value: 'bulk' },
    ]);
  });
});

describe('parseMessage never throws anything but a HelperHttpError', () => {
  const corpus = fixtureNames().map((name) => fixture(name));
  const SPECIALS = [
    '\r\n',
    '\r\n\r\n',
    '--',
    ':',
    '=?UTF-8?B?',
    '?=',
    '<',
    '>',
    '"',
    ';',
    '\u0000',
  ];

  const randomBytes = fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes));
  // Text made of the characters MIME parsing turns on, and any others.
  const mimeLikeText = fc
    .array(fc.oneof(fc.constantFrom(...SPECIALS), fc.string({ unit: 'binary', maxLength: 8 })), {
      maxLength: 80,
    })
    .map((pieces) => Buffer.from(pieces.join(''), 'utf8'));
  // A real message with bytes overwritten, then cut short or spliced onto itself.
  const damagedFixture = fc
    .record({
      index: fc.nat({ max: corpus.length - 1 }),
      flips: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 20 }),
      cut: fc.nat(),
      splice: fc.boolean(),
    })
    .map(({ index, flips, cut, splice }) => {
      const bytes = Buffer.from(corpus[index]!);
      for (const [at, value] of flips) bytes[at % bytes.length] = value;
      const at = cut % (bytes.length + 1);
      return splice ? Buffer.concat([bytes.subarray(at), bytes]) : bytes.subarray(0, at);
    });

  it('answers a message or a 400 for any input', async () => {
    const outcomes = { parsed: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.oneof(randomBytes, mimeLikeText, damagedFixture), async (raw) => {
        try {
          await parseMessage(raw);
          outcomes.parsed++;
        } catch (error) {
          expect(error).toBeInstanceOf(HelperHttpError);
          expect((error as HelperHttpError).getStatus()).toBe(400);
          outcomes.refused++;
        }
      }),
      { numRuns: 300 },
    );
    // The generators are worth something only if they reach both outcomes.
    expect(outcomes.parsed).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});

describe('bounded HTML work', () => {
  it('turns no more than 1 MB of an HTML-only message into text', async () => {
    const paragraph = '<p>Hello <b>there</b>, this is a very long newsletter.</p>\n';
    const html = paragraph.repeat(Math.ceil((1.9 * 1024 * 1024) / paragraph.length));
    const raw = Buffer.from(
      'From: Big <big@example.org>\r\nTo: support@example.com\r\nSubject: Huge\r\n' +
        'Message-ID: <huge-html@example.org>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n' +
        html,
    );
    const message = await parseMessage(raw);
    // Converting all 1.9 MB would give about 1.5 MB of text; the bound keeps it to none or a cut.
    expect(message.text.length).toBeLessThanOrEqual(1024 * 1024);
  });
});

describe('a part whose Content-Type cannot be read', () => {
  it.each(['Content-Type:', 'Content-Type: ;name=x.bin'])(
    'counts it as application/octet-stream (%s)',
    async (header) => {
      const raw = Buffer.from(
        'From: Ann <ann@example.org>\r\nTo: support@example.com\r\nSubject: Files\r\n' +
          'Message-ID: <ct-empty@example.org>\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n' +
          '--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n' +
          `--b\r\n${header}\r\nContent-Disposition: attachment; filename=x.bin\r\n\r\nxyz\r\n--b--\r\n`,
      );
      const message = await parseMessage(raw);
      expect(message.text.trim()).toBe('See attached.');
      expect(message.attachments).toEqual([
        expect.objectContaining({ contentType: 'application/octet-stream', size: 3 }),
      ]);
    },
  );
});
