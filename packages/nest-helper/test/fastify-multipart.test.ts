// A Fastify host that handles multipart itself (@fastify/multipart, here in its most eager mode:
// every multipart body read into `request.body` before validation) still gets SendGrid's and
// Mailgun's multipart forms to the inbound routes intact, and keeps its own uploads.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Post, Req } from '@nestjs/common';
import multipart from '@fastify/multipart';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { INBOUND_SECRET, MAILBOX, basicAuth, multipartForm } from './email/support.js';
import { inboundModules } from './support/inbound.js';
import { ADMIN_TOKEN } from './support/secrets.js';

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

describe('inbound multipart forms on Fastify with the host’s @fastify/multipart', () => {
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
    const messages = await request(app.getHttpServer())
      .get(`/helper/staff/conversations/${response.body.conversationId}/messages`)
      .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
      .expect(200);
    expect(messages.body.messages[0].body).toContain(`Hello from ${provider}-multipart-1.`);
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
