import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { sendgridAdapter } from '../../src/email/adapters/sendgrid.js';
import { resolveEmailOptions } from '../../src/email/email.options.js';
import { parseMessage } from '../../src/email/parse.js';
import {
  adapterOptions,
  basicAuth,
  countingStream,
  expectHttpError,
  fixture,
  INBOUND_SECRET,
  multipartForm,
  oversizedMessage,
} from './support.js';

const message = fixture('with-attachment.eml');

// What SendGrid posts in "raw" mode: the whole message in `email`, and its own metadata.
const sendgridForm = (email: Buffer | string = message) =>
  multipartForm({
    headers: 'Received: by mx0047p1mdw1.sendgrid.net',
    dkim: '{@gmail.com : pass}',
    to: 'support@example.com',
    from: 'Priya Nair <accounts@bigcorp.example>',
    sender_ip: '209.85.220.41',
    envelope: '{"to":["support@example.com"],"from":"accounts@bigcorp.example"}',
    subject: 'Purchase order for 25 seats',
    charsets: '{"to":"UTF-8","subject":"UTF-8","from":"UTF-8"}',
    SPF: 'pass',
    email,
  });

const request = (form = sendgridForm(), authorization = basicAuth(INBOUND_SECRET)) => ({
  authorization,
  contentType: form.contentType,
  body: form.body,
});

describe('SendGrid Inbound Parse adapter', () => {
  it('answers the raw message of the email field', async () => {
    expect((await sendgridAdapter(request(), adapterOptions())).raw.equals(message)).toBe(true);
  });

  it('reads the form from a stream too', async () => {
    const form = sendgridForm();
    const answer = await sendgridAdapter(
      {
        ...request(form),
        body: Readable.from([form.body.subarray(0, 500), form.body.subarray(500)]),
      },
      adapterOptions(),
    );
    expect(answer.raw.equals(message)).toBe(true);
  });

  it('keeps 8-bit bytes of a message in another charset as they were', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('From: rene@example.fr\r\nContent-Type: text/plain; charset=iso-8859-1\r\n'),
      Buffer.from(
        'Content-Transfer-Encoding: 8bit\r\n\r\nProbl\xe8me \xe0 r\xe9gler\r\n',
        'latin1',
      ),
    ]);
    const answer = await sendgridAdapter(request(sendgridForm(latin1)), adapterOptions());
    expect(answer.raw.equals(latin1)).toBe(true);
  });

  it('ignores file parts', async () => {
    const form = multipartForm(
      { email: message },
      { name: 'attachment1', filename: 'x.bin', content: Buffer.alloc(2048, 1) },
    );
    expect((await sendgridAdapter(request(form), adapterOptions())).raw.equals(message)).toBe(true);
  });

  it.each([
    ['no Authorization', undefined],
    ['a wrong password', basicAuth('wrong-password-0123456789abcdefghijkl')],
    ['the secret as user name', `Basic ${Buffer.from(`${INBOUND_SECRET}:`).toString('base64')}`],
    ['the secret as Bearer', `Bearer ${INBOUND_SECRET}`],
    ['a Basic value that is not base64 of user:password', 'Basic !!!'],
  ])('refuses %s with 401, reading nothing', async (_case, authorization) => {
    const { stream, reads } = countingStream([sendgridForm().body]);
    await expectHttpError(
      sendgridAdapter(
        { authorization, contentType: sendgridForm().contentType, body: stream },
        adapterOptions(),
      ),
      401,
      'unauthorized',
    );
    expect(reads()).toBe(0);
  });

  it('refuses a form that is neither SendGrid form, naming both', async () => {
    const form = multipartForm({ text: 'no sender, no headers', subject: 'x' });
    const text = await expectHttpError(
      sendgridAdapter(request(form), adapterOptions()),
      400,
      'malformed_message',
    );
    expect(text).toMatch(/"email" field \(raw mode\).*parsed mode/);
  });

  it('refuses an email field over maxMessageBytes with 413', async () => {
    await expectHttpError(
      sendgridAdapter(
        request(sendgridForm(oversizedMessage(20_000))),
        adapterOptions({ maxMessageBytes: 10_000 }),
      ),
      413,
      'payload_too_large',
    );
  });

  it('refuses a body that is not a form with 415, and a broken form with 400', async () => {
    await expectHttpError(
      sendgridAdapter({ ...request(), contentType: 'application/json' }, adapterOptions()),
      415,
      'unsupported_media_type',
    );
    await expectHttpError(
      sendgridAdapter({ ...request(), contentType: 'multipart/form-data' }, adapterOptions()),
      400,
      'bad_request',
    );
    const truncated = sendgridForm().body.subarray(0, 700);
    await expectHttpError(
      sendgridAdapter({ ...request(), body: truncated }, adapterOptions()),
      400,
      'bad_request',
    );
  });
});

describe('SendGrid Inbound Parse adapter, default (parsed) mode', () => {
  // The fields SendGrid posts when "POST the raw, full MIME message" is off.
  const parsedForm = (overrides: Record<string, string | Buffer> = {}) =>
    multipartForm(
      {
        headers: [
          'Received: from mail.example.org by mx.sendgrid.net',
          'From: Kate <kate@example.org>',
          'To: support@example.com',
          'Subject: =?UTF-8?Q?R=C3=BCckfrage?=',
          'Message-ID: <kate-7@example.org>',
          'In-Reply-To: <helper-reply-1@example.com>',
          'Auto-Submitted: auto-replied',
          'Content-Type: multipart/alternative; boundary="x"',
        ].join('\n'),
        from: 'Kate <kate@example.org>',
        to: 'support@example.com',
        subject: 'Rückfrage',
        text: 'Wann kommt die Lieferung?',
        html: '<p>Wann kommt die Lieferung?</p>',
        charsets: '{"subject":"UTF-8","text":"UTF-8","from":"UTF-8","to":"UTF-8","html":"UTF-8"}',
        SPF: 'pass',
        ...overrides,
      },
      { name: 'attachment1', filename: 'foto.jpg', content: Buffer.alloc(300, 9) },
    );

  it('rebuilds one message: sender, subject, text, its headers and its attachment', async () => {
    const form = parsedForm({
      'attachment-info': '{"attachment1":{"filename":"foto.jpg","type":"image/jpeg"}}',
    });
    const message = await parseMessage(
      (await sendgridAdapter(request(form), adapterOptions())).raw,
    );
    expect(message).toMatchObject({
      from: { address: 'kate@example.org', name: 'Kate' },
      subject: 'Rückfrage',
      messageId: '<kate-7@example.org>',
      inReplyTo: '<helper-reply-1@example.com>',
    });
    expect(message.text.trim()).toBe('Wann kommt die Lieferung?');
    // The loop rules see the original's headers.
    expect(message.headers.get('auto-submitted')).toBe('auto-replied');
    expect(message.attachments).toEqual([
      { filename: 'foto.jpg', contentType: 'image/jpeg', size: 300 },
    ]);
  });

  it('decodes each field in the charset that `charsets` names for it', async () => {
    const form = parsedForm({
      subject: Buffer.from('Probl\xe8me', 'latin1'),
      // "注文" (order) in ISO-2022-JP.
      text: Buffer.from('1b2442436d4a381b2842', 'hex'),
      charsets: '{"subject":"iso-8859-1","text":"iso-2022-jp"}',
    });
    const message = await parseMessage(
      (await sendgridAdapter(request(form), adapterOptions())).raw,
    );
    expect(message.subject).toBe('Problème');
    expect(message.text.trim()).toBe('注文');
  });

  it('gives a message without a Message-ID the same made-up id each time SendGrid posts it', async () => {
    const form = parsedForm({ headers: 'From: Kate <kate@example.org>\nSubject: Rückfrage' });
    const ids = await Promise.all(
      [1, 2].map(
        async () =>
          (await parseMessage((await sendgridAdapter(request(form), adapterOptions())).raw))
            .messageId,
      ),
    );
    expect(ids[0]).toMatch(/@sendgrid\.helperkit\.invalid>$/);
    expect(ids[1]).toBe(ids[0]);
  });
});

describe('SendGrid limits by default', () => {
  const defaults = resolveEmailOptions({
    address: 'support@example.com',
    smtp: 'smtp://localhost',
    inboundSecret: INBOUND_SECRET,
  });

  it('accepts a message of 29 MiB and refuses one over 30 MiB with 413', async () => {
    const MiB = 1024 * 1024;
    const accepted = await sendgridAdapter(
      request(sendgridForm(oversizedMessage(29 * MiB))),
      defaults,
    );
    expect(accepted.raw.length).toBeGreaterThan(29 * MiB);
    await expectHttpError(
      sendgridAdapter(request(sendgridForm(oversizedMessage(30 * MiB + 1))), defaults),
      413,
      'payload_too_large',
    );
  });
});
