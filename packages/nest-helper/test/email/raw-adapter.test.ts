import { describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import { rawAdapter } from '../../src/email/adapters/raw.js';
import {
  adapterOptions,
  basicAuth,
  countingStream,
  endlessChunks,
  expectHttpError,
  fixture,
  INBOUND_SECRET,
  oversizedMessage,
} from './support.js';

const message = fixture('gmail-plain.eml');
const bearer = `Bearer ${INBOUND_SECRET}`;
const request = (overrides: Partial<Parameters<typeof rawAdapter>[0]> = {}) => ({
  authorization: bearer,
  contentType: 'message/rfc822',
  body: message,
  ...overrides,
});

describe('raw message/rfc822 adapter', () => {
  it('answers the body as the message, from a Buffer or a stream', async () => {
    expect((await rawAdapter(request(), adapterOptions())).raw.equals(message)).toBe(true);
    const stream = Readable.from([message.subarray(0, 100), message.subarray(100)]);
    expect(
      (await rawAdapter(request({ body: stream }), adapterOptions())).raw.equals(message),
    ).toBe(true);
  });

  it('accepts a Content-Type with parameters, in any case', async () => {
    const answer = await rawAdapter(
      request({ contentType: 'Message/RFC822; charset=utf-8' }),
      adapterOptions(),
    );
    expect(answer.raw.length).toBe(message.length);
  });

  it.each([
    ['no Authorization', undefined],
    ['an empty Bearer token', 'Bearer '],
    ['a wrong secret', 'Bearer not-the-inbound-secret-0123456789abcdef'],
    ['the secret with a character missing', `Bearer ${INBOUND_SECRET.slice(1)}`],
    ['the secret as Basic auth', basicAuth(INBOUND_SECRET)],
  ])('refuses %s with 401, reading nothing', async (_case, authorization) => {
    const { stream, reads } = countingStream([message]);
    const text = await expectHttpError(
      rawAdapter(request({ authorization, body: stream }), adapterOptions()),
      401,
      'unauthorized',
    );
    expect(text).not.toContain(INBOUND_SECRET);
    expect(reads()).toBe(0);
  });

  it('refuses another Content-Type with 415', async () => {
    await expectHttpError(
      rawAdapter(request({ contentType: 'text/plain' }), adapterOptions()),
      415,
      'unsupported_media_type',
    );
  });

  it('refuses an empty body with 400', async () => {
    await expectHttpError(
      rawAdapter(request({ body: Buffer.alloc(0) }), adapterOptions()),
      400,
      'malformed_message',
    );
  });

  it('refuses a message over maxMessageBytes with 413', async () => {
    const options = adapterOptions({ maxMessageBytes: 10_000 });
    await expectHttpError(
      rawAdapter(request({ body: oversizedMessage(10_001) }), options),
      413,
      'payload_too_large',
    );
    expect((await rawAdapter(request({ body: oversizedMessage(9_000) }), options)).raw.length).toBe(
      oversizedMessage(9_000).length,
    );
  });

  it('stops reading an endless upload soon after the limit', async () => {
    const { stream, reads } = countingStream(endlessChunks());
    await expectHttpError(
      rawAdapter(request({ body: stream }), adapterOptions({ maxMessageBytes: 64 * 1024 })),
      413,
      'payload_too_large',
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    // 64 chunks make the limit; the stream's read-ahead buffer (16 KiB) may add a few more.
    expect(reads()).toBeLessThan(64 + 20);
  });
});
