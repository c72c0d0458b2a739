import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import {
  AttachmentsService,
  HelperChatModule,
  HelperModule,
  type AttachmentStore,
} from '../src/index.js';
import { helperModules, StaffTokenGuard, tempDatabasePath, testDatabase } from './support/app.js';
import {
  bearer,
  customerWithConversation,
  FakeClock,
  PNG,
  staff,
  startAttachmentApp,
  upload,
} from './support/attachments.js';
import { SECRET } from './support/secrets.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('attachments', () => {
  let app: INestApplication;
  const clock = new FakeClock();

  beforeAll(async () => {
    app = await startAttachmentApp(
      helperModules({
        hmacSecrets: [SECRET],
        adminGuard: StaffTokenGuard,
        database: await testDatabase(),
        limits: {
          sessionsPerIpPerHour: 10_000,
          conversationsPerIpPerHour: 10_000,
          messagesPerMinute: 10_000,
        },
      }),
      clock,
    );
  });
  afterAll(async () => {
    await app.close();
  });

  const server = () => app.getHttpServer();
  const customerUpload = (token: string, id: string, bytes: Buffer, name: string, type: string) =>
    upload(app, `/helper/conversations/${id}/attachments`, bearer(token), bytes, name, type);
  const post = (token: string, id: string, body: object) =>
    request(server()).post(`/helper/conversations/${id}/messages`).set(bearer(token)).send(body);
  const messagesOf = async (token: string, id: string) =>
    (
      await request(server())
        .get(`/helper/conversations/${id}/messages`)
        .set(bearer(token))
        .expect(200)
    ).body.messages as { body: string; attachments: { id: string; url: string }[] }[];

  it('takes an image, sends it with a message, and serves it to its owner with safe headers', async () => {
    const { token, conversationId } = await customerWithConversation(app);
    const uploaded = await customerUpload(token, conversationId, PNG, 'screen.png', 'image/png');
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toEqual({
      id: expect.stringMatching(/^a_/),
      name: 'screen.png',
      size: PNG.length,
      contentType: 'image/png',
      url: expect.stringMatching(/^\/helper\/attachments\/a_[\w-]+\?token=/),
    });

    // The link names its viewer by a hash: an access log never learns the customer's address.
    const linkToken = new URL(uploaded.body.url, 'http://x').searchParams.get('token')!;
    expect(Buffer.from(linkToken.split('.')[1]!, 'base64url').toString()).not.toContain('@');

    const sent = await post(token, conversationId, {
      body: 'See attached',
      clientId: 'with-file',
      attachmentIds: [uploaded.body.id],
    }).expect(201);
    expect(sent.body.message.attachments).toEqual([
      expect.objectContaining({ id: uploaded.body.id, name: 'screen.png' }),
    ]);
    const listed = await messagesOf(token, conversationId);
    expect(listed.at(-1)!.attachments.map((file) => file.id)).toEqual([uploaded.body.id]);

    const file = await request(server())
      .get(`/helper/attachments/${uploaded.body.id}`)
      .set(bearer(token))
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(Buffer.compare(file.body as Buffer, PNG)).toBe(0);
    expect(file.headers['content-type']).toMatch(/^image\/png/);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-security-policy']).toBe('sandbox');
    expect(file.headers['content-disposition']).toBe('inline; filename="screen.png"');
  });

  it.each([
    [
      'an HTML page named .png',
      Buffer.from('<html><script>alert(1)</script></html>'),
      'x.png',
      'image/png',
    ],
    [
      'an HTML page declared as text',
      Buffer.from('<!DOCTYPE html><p>hi</p>'),
      'x.txt',
      'text/plain',
    ],
    [
      'an SVG image',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
      'x.svg',
      'image/svg+xml',
    ],
    [
      'an executable',
      Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00', 'latin1'),
      'x.exe',
      'application/octet-stream',
    ],
    ['text with a NUL byte', Buffer.from('hello\x00world'), 'x.txt', 'text/plain'],
  ])('refuses %s with 415, whatever its name says', async (_label, bytes, name, type) => {
    const { token, conversationId } = await customerWithConversation(app);
    const refused = await customerUpload(token, conversationId, bytes, name, type);
    expect(refused.status).toBe(415);
    expect(refused.body).toMatchObject({ statusCode: 415, code: 'file_type_not_allowed' });
  });

  it('takes a file far over the platform’s own body limit (1 MiB on Fastify)', async () => {
    const { token, conversationId } = await customerWithConversation(app);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3 * 1024 * 1024, 0x20)]);
    const taken = await customerUpload(token, conversationId, pdf, 'manual.pdf', 'application/pdf');
    expect(taken.status).toBe(201);
    expect(taken.body).toMatchObject({ size: pdf.length, contentType: 'application/pdf' });
  });

  it('refuses a file over 10 MB with 413 in the module error shape', async () => {
    const { token, conversationId } = await customerWithConversation(app);
    const big = Buffer.alloc(11 * 1024 * 1024, 0x41);
    PNG.copy(big);
    const refused = await customerUpload(token, conversationId, big, 'big.png', 'image/png');
    expect(refused.status).toBe(413);
    expect(refused.body).toEqual({
      statusCode: 413,
      code: 'file_too_large',
      message: expect.stringContaining('10485760'),
    });
  });

  it('refuses an empty file and a form without one with 400', async () => {
    const { token, conversationId } = await customerWithConversation(app);
    const empty = await customerUpload(
      token,
      conversationId,
      Buffer.alloc(0),
      'a.txt',
      'text/plain',
    );
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('file_empty');
    const none = await request(server())
      .post(`/helper/conversations/${conversationId}/attachments`)
      .set(bearer(token))
      .field('other', 'value');
    expect(none.status).toBe(400);
    expect(none.body.code).toBe('file_missing');
  });

  it('keeps another customer out: no upload to, download of, or sending of their files', async () => {
    const owner = await customerWithConversation(app);
    const stranger = await customerWithConversation(app);
    const uploaded = await customerUpload(
      owner.token,
      owner.conversationId,
      PNG,
      'a.png',
      'image/png',
    );
    const id = uploaded.body.id as string;

    const intoTheirs = await customerUpload(
      stranger.token,
      owner.conversationId,
      PNG,
      'b.png',
      'image/png',
    );
    expect(intoTheirs.status).toBe(404);
    await request(server())
      .get('/helper/attachments/not-an-id')
      .set(bearer(owner.token))
      .expect(404);
    const download = await request(server())
      .get(`/helper/attachments/${id}`)
      .set(bearer(stranger.token));
    expect(download.status).toBe(404);
    expect(download.body.code).toBe('not_found');
    const sendTheirs = await post(stranger.token, stranger.conversationId, {
      body: 'mine now',
      clientId: 'steal',
      attachmentIds: [id],
    });
    expect(sendTheirs.status).toBe(400);
    expect(sendTheirs.body.code).toBe('unknown_attachment');
    expect((await messagesOf(stranger.token, stranger.conversationId)).map((m) => m.body)).toEqual([
      'Here is a screenshot.',
    ]);
  });

  it('refuses unknown ids, another conversation’s, more than 5, and one sent already, storing nothing', async () => {
    const { token, conversationId } = await customerWithConversation(app);
    const other = await request(server())
      .post('/helper/conversations')
      .set(bearer(token))
      .send({ body: 'Another topic' })
      .expect(201);
    const otherId = other.body.conversation.id as string;
    const inOther = await customerUpload(token, otherId, PNG, 'o.png', 'image/png');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push((await customerUpload(token, conversationId, PNG, `${i}.png`, 'image/png')).body.id);
    }
    const cases: [string[], string][] = [
      [['a_AAAAAAAAAAAAAAAAAAAAAAAA'], 'unknown_attachment'],
      [[inOther.body.id], 'unknown_attachment'],
      [['not-an-id'], 'validation_failed'],
      [ids, 'validation_failed'],
      [[ids[0]!, ids[0]!], 'validation_failed'],
    ];
    for (const [attachmentIds, code] of cases) {
      const refused = await post(token, conversationId, {
        body: 'x',
        clientId: `c-${code}-${attachmentIds.length}`,
        attachmentIds,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe(code);
    }
    expect(await messagesOf(token, conversationId)).toHaveLength(1);

    await post(token, conversationId, {
      body: 'one',
      clientId: 'first',
      attachmentIds: [ids[0]],
    }).expect(201);
    const again = await post(token, conversationId, {
      body: 'two',
      clientId: 'second',
      attachmentIds: [ids[0], ids[1]],
    });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('attachment_already_sent');
    const messages = await messagesOf(token, conversationId);
    expect(messages.map((m) => m.body)).toEqual(['Here is a screenshot.', 'one']);
    // The refused message left its other file free to send.
    await post(token, conversationId, {
      body: 'three',
      clientId: 'third',
      attachmentIds: [ids[1]],
    }).expect(201);
  });

  /** A form whose file name is RFC 5987-encoded, as curl or a script may send one with CR/LF. */
  const rawForm = (encodedName: string, content: string) => {
    const boundary = 'helperkit-test-boundary';
    return {
      type: `multipart/form-data; boundary=${boundary}`,
      body: Buffer.from(
        `--${boundary}\r\n` +
          `Content-Disposition: form-data; name="file"; filename*=UTF-8''${encodedName}\r\n` +
          'Content-Type: text/plain\r\n\r\n' +
          `${content}\r\n--${boundary}--\r\n`,
      ),
    };
  };

  it.each([
    ['CR/LF', 'report%0D%0AX-Injected%3A%20yes.txt', 'report X-Injected yes.txt'],
    ['non-Latin letters', encodeURIComponent('отчёт 報告.txt'), 'отчёт 報告.txt'],
    ['a misleading extension', 'invoice.html', 'invoice.html.txt'],
  ])('stores a name with %s safely and serves it right', async (_label, encodedName, stored) => {
    const { token, conversationId } = await customerWithConversation(app);
    const form = rawForm(encodedName, 'plain words\n');
    const uploaded = await request(server())
      .post(`/helper/conversations/${conversationId}/attachments`)
      .set(bearer(token))
      .set('Content-Type', form.type)
      .send(form.body);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.name).toBe(stored);
    const file = await request(server())
      .get(`/helper/attachments/${uploaded.body.id}`)
      .set(bearer(token))
      .expect(200);
    const disposition = file.headers['content-disposition'] as string;
    expect(disposition).toMatch(/^attachment; /);
    expect(disposition).not.toMatch(/[\r\n]/);
    expect(file.headers['x-injected']).toBeUndefined();
    const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
    const plain = /filename="([^"]*)"/.exec(disposition)?.[1];
    expect(encoded === undefined ? plain : decodeURIComponent(encoded)).toBe(stored);
    expect(file.text).toBe('plain words\n');
  });

  it('serves a signed link without Bearer for 5 minutes, to that file only', async () => {
    const { token, conversationId } = await customerWithConversation(app);
    const first = await customerUpload(token, conversationId, PNG, 'a.png', 'image/png');
    const second = await customerUpload(token, conversationId, PNG, 'b.png', 'image/png');
    await request(server()).get(first.body.url).expect(200);
    const token1 = new URL(first.body.url, 'http://x').searchParams.get('token')!;
    await request(server())
      .get(`/helper/attachments/${second.body.id}?token=${encodeURIComponent(token1)}`)
      .expect(404);
    await request(server()).get(`/helper/attachments/${first.body.id}?token=forged`).expect(404);
    clock.advance(5 * 60 * 1000 + 1000);
    const expired = await request(server()).get(first.body.url);
    expect(expired.status).toBe(410);
    expect(expired.body.code).toBe('link_expired');
    // Fresh links come with the messages.
    await post(token, conversationId, {
      body: 'b',
      clientId: 'b',
      attachmentIds: [first.body.id],
    }).expect(201);
    const [fresh] = (await messagesOf(token, conversationId)).at(-1)!.attachments;
    await request(server()).get(fresh!.url).expect(200);
  });

  it('lets staff upload, reply with files, and download any file of the mailbox', async () => {
    const { token, conversationId } = await customerWithConversation(app);
    const customerFile = await customerUpload(token, conversationId, PNG, 'c.png', 'image/png');
    await request(server())
      .get(`/helper/attachments/${customerFile.body.id}`)
      .set(staff)
      .expect(200);
    await request(server()).get(`/helper/attachments/${customerFile.body.id}`).expect(401);
    const staffFile = await upload(
      app,
      `/helper/staff/conversations/${conversationId}/attachments`,
      staff,
      Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1'),
      'guide.pdf',
      'application/pdf',
    );
    expect(staffFile.status).toBe(201);
    expect(staffFile.body.contentType).toBe('application/pdf');
    const reply = await request(server())
      .post(`/helper/staff/conversations/${conversationId}/messages`)
      .set(staff)
      .send({ body: 'Our guide', attachmentIds: [staffFile.body.id] })
      .expect(201);
    expect(reply.body.message.attachments[0].id).toBe(staffFile.body.id);
    const seen = (await messagesOf(token, conversationId)).at(-1)!;
    const pdf = await request(server()).get(seen.attachments[0]!.url).expect(200);
    expect(pdf.headers['content-disposition']).toBe('attachment; filename="guide.pdf"');
  });

  it('caps uploads waiting for a message, and deletes them after 24 hours', async () => {
    const { token, conversationId } = await customerWithConversation(app);
    const first = await customerUpload(token, conversationId, PNG, '0.png', 'image/png');
    for (let i = 1; i < 20; i++) {
      await customerUpload(token, conversationId, PNG, `${i}.png`, 'image/png').expect(201);
    }
    const over = await customerUpload(token, conversationId, PNG, 'x.png', 'image/png');
    expect(over.status).toBe(429);
    expect(over.body.code).toBe('too_many_uploads');

    clock.advance(DAY_MS + 1000);
    const deleted = await app.get(AttachmentsService).sweep();
    expect(deleted).toBeGreaterThanOrEqual(20);
    await request(server())
      .get(`/helper/attachments/${first.body.id}`)
      .set(bearer(token))
      .expect(404);
    await customerUpload(token, conversationId, PNG, 'y.png', 'image/png').expect(201);
  });
});

describe('attachment options', () => {
  it.each([['text/html'], ['image/svg+xml']])(
    'refuses %s in chat.attachments.types at start-up',
    async (type) => {
      await expect(
        startAttachmentApp(
          [
            // A SQLite file on every run: the app never starts, so nothing would close a pool.
            HelperModule.forRoot({
              hmacSecrets: [SECRET],
              adminGuard: StaffTokenGuard,
              database: tempDatabasePath(),
            }),
            HelperChatModule.forRoot({ attachments: { types: ['image/png', type] } }),
          ],
          new FakeClock(),
        ),
      ).rejects.toThrow(/must not list/);
    },
  );
});

describe('a host’s own AttachmentStore', () => {
  /** Bytes in a Map, as a host's directory or S3 store would keep them elsewhere. */
  class MemoryFiles implements AttachmentStore {
    readonly files = new Map<string, Buffer>();
    async put(key: string, bytes: Buffer) {
      this.files.set(key, Buffer.from(bytes));
    }
    async get(key: string) {
      return this.files.get(key) ?? null;
    }
    async delete(key: string) {
      this.files.delete(key);
    }
  }

  it('keeps the bytes there, serves them from there, and deletes unsent ones there', async () => {
    const store = new MemoryFiles();
    const clock = new FakeClock();
    const app = await startAttachmentApp(
      helperModules({
        hmacSecrets: [SECRET],
        adminGuard: StaffTokenGuard,
        database: await testDatabase(),
        storage: { attachments: store },
      }),
      clock,
    );
    try {
      const { token, conversationId } = await customerWithConversation(app);
      const sent = await upload(
        app,
        `/helper/conversations/${conversationId}/attachments`,
        bearer(token),
        PNG,
        'kept.png',
        'image/png',
      ).expect(201);
      expect([...store.files.values()]).toEqual([PNG]);
      const [key] = store.files.keys();
      store.files.set(key!, Buffer.concat([PNG, Buffer.from('host copy')]));
      const served = await request(app.getHttpServer())
        .get(`/helper/attachments/${sent.body.id}`)
        .set(staff)
        .expect(200);
      expect(Number(served.headers['content-length'])).toBe(PNG.length + 'host copy'.length);

      clock.advance(DAY_MS + 1000);
      await app.get(AttachmentsService).sweep();
      expect(store.files.size).toBe(0);
    } finally {
      await app.close();
    }
  });
});
