import { readdirSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { expect } from '@jest/globals';
import { HelperHttpError } from '../../src/errors.js';
import type { AdapterOptions } from '../../src/email/adapters/inbound-request.js';
import { hasSender, parseMessage, type InboundMessage } from '../../src/email/parse.js';

export const MAILBOX = 'support@example.com';
export const INBOUND_SECRET = 'inbound-secret-for-tests-0123456789abcdef';
export const MAILGUN_KEY = 'key-mailgun-signing-for-tests-0123456789';

const FIXTURES = new URL('./fixtures/', import.meta.url);

/** Every fixture file name. */
export const fixtureNames = (): string[] =>
  readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.eml'))
    .sort();

export const fixture = (name: string): Buffer => readFileSync(new URL(name, FIXTURES));

/** A fixture parsed; every fixture in fixtures/ was written by a person or names its sender. */
export async function parsedFixture(name: string): Promise<InboundMessage> {
  const message = await parseMessage(fixture(name));
  if (!hasSender(message)) throw new Error(`${name} parsed without a sender`);
  return message;
}

/** A valid message of at least `bytes` bytes: generated, so no huge file sits in the repository. */
export function oversizedMessage(bytes: number): Buffer {
  const head = Buffer.from(
    'From: Big Sender <big@example.net>\r\nTo: support@example.com\r\nSubject: Big\r\n' +
      'Message-ID: <big-1@example.net>\r\nContent-Type: text/plain\r\n\r\n',
  );
  const line = Buffer.from(`${'x'.repeat(76)}\r\n`);
  const lines = Math.ceil(Math.max(0, bytes - head.length) / line.length);
  return Buffer.concat([head, ...Array.from({ length: lines }, () => line)]);
}

export const adapterOptions = (overrides: Partial<AdapterOptions> = {}): AdapterOptions => ({
  inboundSecret: INBOUND_SECRET,
  mailgunSigningKey: null,
  maxMessageBytes: 64 * 1024,
  ...overrides,
});

export const basicAuth = (password: string, user = 'provider'): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A multipart/form-data body as providers send it: text fields, and optionally a file part. */
export function multipartForm(
  fields: Record<string, string | Buffer>,
  file?: { name: string; filename: string; content: Buffer },
): { contentType: string; body: Buffer } {
  const boundary = 'xYzZY-test-boundary';
  const parts = Object.entries(fields).map(([name, value]) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
      Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'),
      Buffer.from('\r\n'),
    ]),
  );
  if (file) {
    parts.push(
      Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; ` +
            `filename="${file.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        file.content,
        Buffer.from('\r\n'),
      ]),
    );
  }
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
  };
}

/** Expects a promise to fail with a HelperHttpError of this status and code; answers its message. */
export async function expectHttpError(
  promise: Promise<unknown>,
  statusCode: number,
  code: string,
): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(HelperHttpError);
  const body = (error as HelperHttpError).getResponse();
  expect(body).toMatchObject({ statusCode, code });
  return (body as { message: string }).message;
}

/** A body stream that counts how much of it was read. */
export function countingStream(chunks: Iterable<Buffer>): {
  stream: Readable;
  reads: () => number;
} {
  const iterator = chunks[Symbol.iterator]();
  let reads = 0;
  const stream = new Readable({
    read() {
      const next = iterator.next();
      if (!next.done) reads++;
      this.push(next.done ? null : next.value);
    },
  });
  return { stream, reads: () => reads };
}

/** Endless 1 KiB chunks. */
export function* endlessChunks(): Generator<Buffer> {
  for (;;) yield Buffer.alloc(1024, 0x61);
}
