// The inbound email routes read and limit their own bodies, whatever the host's body parsers do:
// these apps keep every parser default of their platform (no rawBody, no raised limit).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Module, type ExecutionContext, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { request as httpRequest } from 'node:http';
import request from 'supertest';
import {
  INBOUND_SECRET,
  MAILBOX,
  basicAuth,
  countingStream,
  endlessChunks,
  oversizedMessage,
} from './email/support.js';
import { listen, startApp } from './support/app.js';
import { inboundModules, storedBody } from './support/inbound.js';
import { initApp, platformName, testHttpAdapter } from './support/platform.js';

const MB = 1024 * 1024;
const GREETING = 'Grüße aus Köln';

/** A message in ISO-8859-1, 8 bit, padded to `bytes`: its umlauts are single bytes above 0x7f. */
function latin1Message(id: string, bytes: number): Buffer {
  const head = Buffer.from(
    [
      'From: Jürgen Kunde <juergen@example.de>',
      `To: ${MAILBOX}`,
      'Subject: Lieferung',
      `Message-ID: <${id}@example.de>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=iso-8859-1',
      'Content-Transfer-Encoding: 8bit',
      '',
      `${GREETING}!`,
      '',
    ].join('\r\n'),
    'latin1',
  );
  const line = Buffer.from(`${'x'.repeat(76)}\r\n`);
  const lines = Math.ceil(Math.max(0, bytes - head.length) / line.length);
  return Buffer.concat([head, ...Array.from({ length: lines }, () => line)]);
}

/** Each byte as a form encoder writes it: letters and digits as they are, all else `%XX`. */
const FORM_BYTE = Array.from({ length: 256 }, (_, byte) =>
  /[A-Za-z0-9]/.test(String.fromCharCode(byte))
    ? String.fromCharCode(byte)
    : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
);

/** `application/x-www-form-urlencoded` of raw bytes, as a provider encodes a non-UTF-8 message. */
const urlencodedBytes = (fields: Record<string, Buffer>): string =>
  Object.entries(fields)
    .map(([name, value]) => {
      const encoded: string[] = [];
      for (const byte of value) encoded.push(FORM_BYTE[byte]!);
      return `${encodeURIComponent(name)}=${encoded.join('')}`;
    })
    .join('&');

/** Postmark's inbound JSON with a base64 attachment of `attachmentBytes`. */
const postmarkJson = (id: string, attachmentBytes: number) =>
  JSON.stringify({
    FromFull: { Email: 'pia@example.org', Name: 'Pia Kundin' },
    ToFull: [{ Email: MAILBOX }],
    Subject: 'Rechnung',
    MessageID: id,
    TextBody: `${GREETING}, die Rechnung hängt an.`,
    Headers: [{ Name: 'Message-ID', Value: `<${id}@example.org>` }],
    Attachments: [
      {
        Name: 'rechnung.pdf',
        ContentType: 'application/pdf',
        Content: Buffer.alloc(attachmentBytes, 7).toString('base64'),
      },
    ],
  });

/** POSTs Postmark's JSON, authenticated, to `path`. */
const postPostmark = (
  app: INestApplication,
  json: string,
  path = '/helper/email/inbound/postmark',
) =>
  request(app.getHttpServer())
    .post(path)
    .set('Authorization', basicAuth(INBOUND_SECRET))
    .set('Content-Type', 'application/json')
    .send(json);

/** Far more than any limit on the way: 64 MiB, in 1 KiB chunks. */
const HUGE_CHUNKS = 64 * 1024;

function* hugeBody(): Generator<Buffer> {
  let left = HUGE_CHUNKS;
  for (const chunk of endlessChunks()) {
    if (left-- === 0) return;
    yield chunk;
  }
}

/**
 * POSTs a huge chunked body and answers the response with how many chunks the client had
 * produced when it came: a server that read the whole body first answers only after all of them.
 */
function postHuge(
  base: string,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown; chunksSent: number }> {
  const upload = countingStream(hugeBody());
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      new URL(path, base),
      { method: 'POST', headers: { ...headers, 'Transfer-Encoding': 'chunked' } },
      (response) => {
        const chunksSent = upload.reads();
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          upload.stream.unpipe(outgoing);
          upload.stream.destroy();
          outgoing.destroy();
          resolve({
            status: response.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            chunksSent,
          });
        });
      },
    );
    // Once answered, the request is destroyed on purpose; only an error before that counts.
    outgoing.on('error', reject);
    upload.stream.pipe(outgoing);
  });
}

describe(`inbound bodies on ${platformName} with the host's default body parsers`, () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    app = await startApp(await inboundModules());
    base = await listen(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('accepts a 2 MB Postmark JSON and stores its text as sent', async () => {
    const json = postmarkJson('pm-big-1', 1.5 * MB);
    expect(json.length).toBeGreaterThan(2 * MB);
    const response = await postPostmark(app, json).expect(200);
    expect(response.body).toMatchObject({ duplicate: false, conversationId: expect.any(String) });
    expect(await storedBody(app, response.body.conversationId)).toContain(GREETING);
  });

  it('accepts a 2 MB urlencoded Mailgun body in ISO-8859-1, byte for byte', async () => {
    const form = urlencodedBytes({
      'body-mime': latin1Message('mg-latin1-1', 2 * MB),
      recipient: Buffer.from(MAILBOX),
    });
    const response = await request(app.getHttpServer())
      .post('/helper/email/inbound/mailgun')
      .set('Authorization', basicAuth(INBOUND_SECRET))
      .set('Content-Type', 'application/x-www-form-urlencoded')
      // A string: superagent would serialise a Buffer as an object for a form type.
      .send(form)
      .expect(200);
    expect(await storedBody(app, response.body.conversationId)).toContain(`${GREETING}!`);
  });

  it('refuses an unauthenticated huge body before reading it to the end', async () => {
    const postmark = await postHuge(base, '/helper/email/inbound/postmark', {
      Authorization: basicAuth('wrong-secret'),
      'Content-Type': 'application/json',
    });
    const raw = await postHuge(base, '/helper/email/inbound', {
      Authorization: 'Bearer wrong-secret',
      'Content-Type': 'message/rfc822',
    });
    // Postmark stops retrying on 403 only; the raw route answers 401.
    for (const [answer, status] of [
      [postmark, 403],
      [raw, 401],
    ] as const) {
      expect(answer.chunksSent).toBeLessThan(HUGE_CHUNKS);
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual({
        statusCode: status,
        code: 'unauthorized',
        message: expect.any(String),
      });
    }
  });

  it('answers a missing Content-Type with 415 in the module shape', async () => {
    const response = await request(app.getHttpServer())
      .post('/helper/email/inbound')
      .set('Authorization', `Bearer ${INBOUND_SECRET}`)
      .send(Buffer.from('From: a@example.org\r\n\r\nhi'))
      .expect(415);
    expect(response.body).toMatchObject({ statusCode: 415, code: 'unsupported_media_type' });
  });

  it("leaves the host's own routes to the host's parsers and their limits", async () => {
    const echoed = await request(app.getHttpServer())
      .post('/echo')
      .send({ hello: GREETING })
      .expect(201);
    expect(echoed.body).toEqual({ received: { hello: GREETING } });
    const tooBig = await request(app.getHttpServer())
      .post('/echo')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(2 * MB) }));
    expect(tooBig.status).toBe(413);
  });
});

describe(`the inbound size limit on ${platformName}`, () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await startApp(await inboundModules({ maxMessageBytes: 64 * 1024 }));
  });
  afterAll(async () => {
    await app.close();
  });

  const tooLarge = { statusCode: 413, code: 'payload_too_large', message: expect.any(String) };

  it('answers 413 in the module shape for a raw message over maxMessageBytes', async () => {
    const response = await request(app.getHttpServer())
      .post('/helper/email/inbound')
      .set('Authorization', `Bearer ${INBOUND_SECRET}`)
      .set('Content-Type', 'message/rfc822')
      .send(oversizedMessage(200 * 1024))
      .expect(413);
    expect(response.body).toEqual(tooLarge);
  });

  it('answers 413 in the module shape for a Postmark JSON over its envelope limit', async () => {
    const response = await postPostmark(app, postmarkJson('pm-too-big', 2 * MB)).expect(413);
    expect(response.body).toEqual(tooLarge);
  });
});

/** An app with the inbound modules, set up by the test before it initialises. */
async function bareApp(setUp: (app: INestApplication) => void): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: await inboundModules() }).compile();
  const app = moduleRef.createNestApplication(testHttpAdapter(), { logger: false });
  setUp(app);
  await initApp(app);
  return app;
}

describe(`inbound bodies under a global prefix on ${platformName}`, () => {
  it('reads its own body at /<global prefix>/<route prefix>/email/inbound/...', async () => {
    const app = await bareApp((app) => app.setGlobalPrefix('api'));
    try {
      const response = await postPostmark(
        app,
        postmarkJson('pm-prefixed-1', 1.5 * MB),
        '/api/helper/email/inbound/postmark',
      ).expect(200);
      expect(response.body.duplicate).toBe(false);
    } finally {
      await app.close();
    }
  });
});

describe(`the host's view of an inbound request on ${platformName}`, () => {
  it("shows the host's guards the Content-Type the client sent", async () => {
    const seen: unknown[] = [];
    const app = await bareApp((app) =>
      app.useGlobalGuards({
        canActivate(context: ExecutionContext) {
          seen.push(context.switchToHttp().getRequest().headers['content-type']);
          return true;
        },
      }),
    );
    try {
      await request(app.getHttpServer())
        .post('/helper/email/inbound')
        .set('Authorization', `Bearer ${INBOUND_SECRET}`)
        .set('Content-Type', 'message/rfc822')
        .send(oversizedMessage(1024))
        .expect(200);
      expect(seen).toEqual(['message/rfc822']);
    } finally {
      await app.close();
    }
  });
});

describe(`inbound bodies in an app made by NestFactory.create on ${platformName}`, () => {
  it('reads its own body: there the adapter exists before the module does', async () => {
    @Module({ imports: await inboundModules() })
    class HostModule {}
    const app = await NestFactory.create(HostModule, testHttpAdapter(), {
      logger: false,
      abortOnError: false,
    });
    await initApp(app);
    try {
      const response = await postPostmark(app, postmarkJson('pm-factory-1', 1.5 * MB)).expect(200);
      expect(response.body.duplicate).toBe(false);
    } finally {
      await app.close();
    }
  });
});
