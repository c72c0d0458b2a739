import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { mailgunAdapter, mailgunMimeAdapter } from '../../src/email/adapters/mailgun.js';
import { parseMessage } from '../../src/email/parse.js';
import {
  adapterOptions,
  basicAuth,
  countingStream,
  endlessChunks,
  expectHttpError,
  fixture,
  INBOUND_SECRET,
  MAILGUN_KEY,
  multipartForm,
} from './support.js';

const message = fixture('outlook-multipart.eml');
const NOW = Date.UTC(2025, 2, 5, 8, 3, 20);
const TOKEN = '2f4c1d8e9a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c';

const sign = (timestamp: string, token = TOKEN, key = MAILGUN_KEY) =>
  createHmac('sha256', key)
    .update(timestamp + token)
    .digest('hex');

/** Mailgun's form for a route forwarding to a URL ending in "mime". */
function mailgunFields(overrides: Record<string, string> = {}, atMs = NOW) {
  const timestamp = String(Math.floor(atMs / 1000));
  return {
    recipient: 'support@example.com',
    sender: 'm.schmidt@contoso.example',
    subject: 'Login fails after password change',
    'body-mime': message.toString('latin1'),
    timestamp,
    token: TOKEN,
    signature: sign(timestamp),
    ...overrides,
  };
}

const multipart = (fields: Record<string, string>, authorization?: string) => {
  const form = multipartForm(fields);
  return { authorization, contentType: form.contentType, body: form.body };
};

const urlencoded = (fields: Record<string, string>) => ({
  contentType: 'application/x-www-form-urlencoded',
  body: Buffer.from(new URLSearchParams(fields).toString()),
});

const signed = adapterOptions({ mailgunSigningKey: MAILGUN_KEY, now: () => NOW });

describe('Mailgun route adapter, signing key configured', () => {
  it('answers body-mime of a signed multipart form', async () => {
    expect((await mailgunAdapter(multipart(mailgunFields()), signed)).raw.equals(message)).toBe(
      true,
    );
  });

  it('answers body-mime of a signed urlencoded form', async () => {
    expect((await mailgunAdapter(urlencoded(mailgunFields()), signed)).raw.equals(message)).toBe(
      true,
    );
  });

  it('accepts a timestamp up to 2 minutes off either way', async () => {
    for (const skew of [-120_000, 119_000]) {
      const answer = await mailgunAdapter(multipart(mailgunFields({}, NOW + skew)), signed);
      expect(answer.raw.length).toBe(message.length);
    }
  });

  it('refuses a signature that does not verify, without showing the expected one', async () => {
    const fields = mailgunFields();
    for (const signature of [
      sign(fields.timestamp, TOKEN, 'another-signing-key'),
      sign(fields.timestamp, 'another-token'),
      fields.signature.slice(0, 40),
      'not hex at all',
    ]) {
      const text = await expectHttpError(
        mailgunAdapter(multipart({ ...fields, signature }), signed),
        401,
        'unauthorized',
      );
      expect(text).toBe('The Mailgun signature does not verify with the signing key.');
      expect(text).not.toContain(fields.signature);
    }
  });

  it('refuses a signed body-mime that was swapped for another token', async () => {
    const fields = mailgunFields();
    await expectHttpError(
      mailgunAdapter(multipart({ ...fields, token: `${TOKEN}0` }), signed),
      401,
      'unauthorized',
    );
  });

  it('refuses a stale timestamp, saying it is too old', async () => {
    const text = await expectHttpError(
      mailgunAdapter(multipart(mailgunFields({}, NOW - 121_000)), signed),
      401,
      'unauthorized',
    );
    expect(text).toMatch(/too old/);
  });

  it('refuses a timestamp from the future, saying so', async () => {
    const text = await expectHttpError(
      mailgunAdapter(multipart(mailgunFields({}, NOW + 121_000)), signed),
      401,
      'unauthorized',
    );
    expect(text).toMatch(/in the future/);
  });

  it.each(['timestamp', 'token', 'signature'])('refuses a form without %s', async (field) => {
    const fields: Record<string, string> = mailgunFields();
    delete fields[field];
    const text = await expectHttpError(
      mailgunAdapter(multipart(fields), signed),
      401,
      'unauthorized',
    );
    expect(text).toMatch(/missing/);
  });

  it('does not take Basic auth instead of the signature', async () => {
    const { signature: _dropped, ...unsigned } = mailgunFields();
    await expectHttpError(
      mailgunAdapter(multipart(unsigned, basicAuth(INBOUND_SECRET)), signed),
      401,
      'unauthorized',
    );
  });

  it('refuses a signed form without body-mime, saying how to get it', async () => {
    const { 'body-mime': _dropped, ...fields } = mailgunFields();
    const text = await expectHttpError(
      mailgunAdapter(multipart(fields), signed),
      400,
      'malformed_message',
    );
    expect(text).toMatch(/mime/);
  });
});

describe('Mailgun route adapter, no signing key', () => {
  const options = adapterOptions({ now: () => NOW });
  const { timestamp: _t, token: _k, signature: _s, ...unsigned } = mailgunFields();

  it('accepts the inbound secret as Basic auth password', async () => {
    const answer = await mailgunAdapter(multipart(unsigned, basicAuth(INBOUND_SECRET)), options);
    expect(answer.raw.equals(message)).toBe(true);
  });

  it('refuses a request without it, signed or not', async () => {
    await expectHttpError(mailgunAdapter(multipart(mailgunFields()), options), 401, 'unauthorized');
    await expectHttpError(
      mailgunAdapter(
        multipart(unsigned, basicAuth('wrong-0123456789abcdefghijklmnopqrstu')),
        options,
      ),
      401,
      'unauthorized',
    );
  });

  it('reads an unsigned upload no further than the message size limit before answering', async () => {
    const { stream, reads } = countingStream(endlessChunks());
    await expectHttpError(
      mailgunAdapter(
        { contentType: 'multipart/form-data; boundary=x', body: stream },
        adapterOptions({ mailgunSigningKey: MAILGUN_KEY, maxMessageBytes: 64 * 1024 }),
      ),
      413,
      'payload_too_large',
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    // 64 KiB of chunks, not the envelope's three times the limit and more.
    expect(reads()).toBeLessThan(64 + 20);
  });
});

describe('Mailgun routes, the parsed form and the mime form', () => {
  const parsedFields = (overrides: Record<string, string> = {}) => {
    const { 'body-mime': _mime, ...fields } = mailgunFields();
    return {
      ...fields,
      from: 'Max Muster <m.schmidt@contoso.example>',
      'message-headers': JSON.stringify([
        ['X-Mailgun-Spf', 'Pass'],
        ['From', 'Max Muster <m.schmidt@contoso.example>'],
        ['Subject', 'Login fails after password change'],
        ['Message-Id', '<mg-unit-1@contoso.example>'],
        ['X-Mailgun-Spf', 'Fail'],
        ['Content-Type', 'multipart/alternative; boundary="mg"'],
      ]),
      'body-plain': 'Since the change I cannot log in.\n\n> Your password was changed.\n',
      'stripped-text': 'Since the change I cannot log in.',
      'body-html': '<p>Since the change I cannot log in.</p>',
      ...overrides,
    };
  };

  it('rebuilds the parsed form, its header order kept and its stripped text as the text', async () => {
    const answer = await mailgunAdapter(urlencoded(parsedFields()), signed);
    const message = await parseMessage(answer.raw);
    expect(message).toMatchObject({
      from: { address: 'm.schmidt@contoso.example' },
      subject: 'Login fails after password change',
      messageId: '<mg-unit-1@contoso.example>',
    });
    expect(message.text.trim()).toBe('Since the change I cannot log in.');
    // Mailgun's own verdict stays on top; the copy the sender added stays below it.
    expect(message.headers.get('x-mailgun-spf')).toEqual(['Pass', 'Fail']);
    const headerLines = message.headerFields.map((field) => ({
      key: field.name,
      line: `${field.name}: ${field.value}`,
    }));
    expect(answer.providerVerdicts!(headerLines).verdicts).toEqual([
      { method: 'spf', result: 'pass', domain: 'contoso.example' },
    ]);
  });

  it('answers on the mime route only the mime form, saying where Mailgun sends it', async () => {
    const text = await expectHttpError(
      mailgunMimeAdapter(urlencoded(parsedFields()), signed),
      400,
      'malformed_message',
    );
    expect(text).toMatch(/URL ending in "mime"/);
    const answer = await mailgunMimeAdapter(urlencoded(mailgunFields()), signed);
    expect(answer.raw.equals(message)).toBe(true);
  });

  it('refuses store-and-notify, saying to forward instead', async () => {
    const { 'body-mime': _mime, ...fields } = mailgunFields({
      'message-url': 'https://storage.mailgun.net/v3/domains/x/messages/abc',
    });
    const text = await expectHttpError(
      mailgunAdapter(urlencoded(fields), signed),
      400,
      'malformed_message',
    );
    expect(text).toMatch(/store-and-notify.*forward\(\)/);
  });
});
