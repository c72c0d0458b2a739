import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { HelperChatModule } from '../src/index.js';
import { startApp } from './support/app.js';
import { PNG, staff } from './support/attachments.js';
import { INBOUND_SECRET, MAILBOX } from './email/support.js';
import { inboundModules } from './support/inbound.js';

/** A customer's email with a PNG, an HTML page named .png, and a PDF too large for the chat. */
const mailWithFiles = (id: string) => {
  const boundary = 'files-boundary';
  const part = (type: string, name: string, bytes: Buffer) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; name="${name}"`,
      `Content-Disposition: attachment; filename="${name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      bytes.toString('base64').replace(/.{76}/g, '$&\r\n'),
    ].join('\r\n');
  const bigPdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(600 * 1024, 0x20)]);
  return Buffer.from(
    [
      'From: Ann Customer <ann.files@example.org>',
      `To: ${MAILBOX}`,
      'Subject: Broken screen',
      `Message-ID: <${id}@mail.example.org>`,
      'Date: Wed, 25 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The screen is cracked, photo attached.',
      part('image/png', 'photo.png', PNG),
      part('image/png', 'page.png', Buffer.from('<html><script>alert(1)</script></html>')),
      part('application/pdf', 'manual.pdf', bigPdf),
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
};

describe('attachments of inbound email', () => {
  let app: INestApplication;

  beforeAll(async () => {
    // The chat takes files up to 512 kB here, so a modest PDF is over the limit.
    const modules = (await inboundModules()).map((module, index) =>
      index === 1 ? HelperChatModule.forRoot({ attachments: { maxBytes: 512 * 1024 } }) : module,
    );
    app = await startApp(modules);
  });
  afterAll(async () => {
    await app.close();
  });

  it('keeps an allowed file with the message, records the refused ones, and serves it to staff', async () => {
    const received = await request(app.getHttpServer())
      .post('/helper/email/inbound')
      .set('Authorization', `Bearer ${INBOUND_SECRET}`)
      .set('Content-Type', 'message/rfc822')
      .send(mailWithFiles('files-1'))
      .expect(200);
    const conversationId = received.body.conversationId as string;

    const page = await request(app.getHttpServer())
      .get(`/helper/staff/conversations/${conversationId}/messages`)
      .set(staff)
      .expect(200);
    const [message] = page.body.messages;
    expect(message.body).toContain('The screen is cracked');
    expect(message.attachments).toEqual([
      {
        id: expect.stringMatching(/^a_/),
        name: 'photo.png',
        size: PNG.length,
        contentType: 'image/png',
        url: expect.stringContaining('token='),
      },
    ]);
    expect(message.refusedAttachments).toEqual([
      { name: 'page.png', size: 38, reason: 'type_not_allowed' },
      { name: 'manual.pdf', size: 600 * 1024 + 9, reason: 'too_large' },
    ]);

    const file = await request(app.getHttpServer())
      .get(`/helper/attachments/${message.attachments[0].id}`)
      .set(staff)
      .expect(200);
    expect(file.headers['content-type']).toMatch(/^image\/png/);
    expect(Number(file.headers['content-length'])).toBe(PNG.length);
  });
});
