// A Fastify host with plugins and hooks of its own: @fastify/multipart in its most eager mode
// (every multipart body read into `request.body` before validation), and a preParsing hook that
// decompresses request bodies. The inbound routes still get their bodies as the host's hooks made
// them, and the host keeps its own uploads.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Post, Req } from '@nestjs/common';
import multipart from '@fastify/multipart';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { createGunzip, gzipSync } from 'node:zlib';
import { INBOUND_SECRET, MAILBOX, basicAuth, multipartForm } from './email/support.js';
import { inboundModules, storedBody } from './support/inbound.js';

/** The host's own upload route, which reads the fields @fastify/multipart attached. */
@Controller('upload')
class UploadController {
  @Post()
  upload(@Req() request: { body: Record<string, { value?: unknown }> }) {
    return { note: request.body.note?.value };
  }
}

const message = (id: string) =>
  [
    'From: Sam Sender <sam@example.org>',
    `To: ${MAILBOX}`,
    'Subject: Multipart',
    `Message-ID: <${id}@example.org>`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Hello from ${id}.`,
    '',
  ].join('\r\n');

describe('inbound bodies on a Fastify host with its own plugins and hooks', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: await inboundModules(),
      controllers: [UploadController],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), {
      logger: false,
    });
    await app.register(multipart, { attachFieldsToBody: true });
    // As a decompression plugin does: the route reads what the hook made of the body.
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('preParsing', async (incoming, _reply, payload) =>
        incoming.headers['content-encoding'] === 'gzip' ? payload.pipe(createGunzip()) : payload,
      );
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['sendgrid', 'email'],
    ['mailgun', 'body-mime'],
  ])('accepts a %s form, a file part included', async (provider, field) => {
    const form = multipartForm(
      { [field]: message(`${provider}-multipart-1`), to: MAILBOX },
      { name: 'attachment1', filename: 'note.txt', content: Buffer.from('attached') },
    );
    const response = await request(app.getHttpServer())
      .post(`/helper/email/inbound/${provider}`)
      .set('Authorization', basicAuth(INBOUND_SECRET))
      .set('Content-Type', form.contentType)
      .send(form.body)
      .expect(200);
    expect(await storedBody(app, response.body.conversationId)).toContain(
      `Hello from ${provider}-multipart-1.`,
    );
  });

  it('reads a body from the stream the host’s preParsing hook made', async () => {
    const response = await request(app.getHttpServer())
      .post('/helper/email/inbound')
      .set('Authorization', `Bearer ${INBOUND_SECRET}`)
      .set('Content-Type', 'message/rfc822')
      .set('Content-Encoding', 'gzip')
      .send(gzipSync(message('gzipped-1')))
      .expect(200);
    expect(await storedBody(app, response.body.conversationId)).toContain('Hello from gzipped-1.');
  });

  it('leaves the host’s own multipart routes to @fastify/multipart', async () => {
    const form = multipartForm({ note: 'kept' });
    const response = await request(app.getHttpServer())
      .post('/upload')
      .set('Content-Type', form.contentType)
      .send(form.body)
      .expect(201);
    expect(response.body).toEqual({ note: 'kept' });
  });
});
