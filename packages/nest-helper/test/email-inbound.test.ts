import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import { CHAT_LINK_PARAM } from '@helperkit/core';
import type { HelperEmailOptions, HelperModuleOptions } from '../src/index.js';
import {
  INBOUND_SECRET,
  MAILBOX,
  MAILGUN_KEY,
  basicAuth,
  fixture,
  multipartForm,
  oversizedMessage,
} from './email/support.js';
import { StaffTokenGuard, helperModules, startApp, testDatabase } from './support/app.js';
import { ADMIN_TOKEN, SECRET } from './support/secrets.js';
import { SmtpCatcher, freePort } from './support/smtp-catcher.js';
import { outboxDrained } from './support/outbox.js';
import { until } from './support/until.js';

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const WIDGET_HOST = 'https://shop.example.com/help';

async function emailApp(
  smtpPort: number,
  database?: HelperModuleOptions['database'],
  extra: Partial<HelperEmailOptions> = {},
) {
  const app = await startApp(
    helperModules(
      {
        hmacSecrets: [SECRET],
        adminGuard: StaffTokenGuard,
        database: database ?? (await testDatabase()),
      },
      {
        address: MAILBOX,
        from: '"Example Support" <support@example.com>',
        smtp: { host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true },
        inboundSecret: INBOUND_SECRET,
        mailgunSigningKey: MAILGUN_KEY,
        retryDelayMs: 300,
        // These suites test the pipeline behind an MTA that admits only authenticated mail;
        // test/email-trust.test.ts attacks sender authentication itself.
        senderAuthentication: 'off',
        ...extra,
      },
    ),
  );
  await request(app.getHttpServer())
    .patch('/helper/settings')
    .set(staff)
    .send({ autoRespondEmailToChat: true, widgetHost: WIDGET_HOST })
    .expect(200);
  return app;
}

const postRaw = (app: INestApplication, raw: Buffer, secret = INBOUND_SECRET) =>
  request(app.getHttpServer())
    .post('/helper/email/inbound')
    .set('Authorization', `Bearer ${secret}`)
    .set('Content-Type', 'message/rfc822')
    .send(raw);

/** A message from a customer, with its own Message-ID. */
const customerMail = (id: string, from = 'ann.customer@example.org', extraHeaders = '') =>
  Buffer.from(
    [
      `From: Ann Customer <${from}>`,
      `To: ${MAILBOX}`,
      `Subject: Order ${id} has not arrived`,
      `Message-ID: <${id}@mail.example.org>`,
      'Date: Wed, 25 Nov 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      ...(extraHeaders ? [extraHeaders] : []),
      '',
      `Hello, my order ${id} is late. Can you help?`,
      '',
    ].join('\r\n'),
  );

const linkTokenOf = (text: string) =>
  new URL(/https:\/\/\S+/.exec(text)![0]).searchParams.get(CHAT_LINK_PARAM)!;

describe('email to chat', () => {
  let smtp: SmtpCatcher;
  let app: INestApplication;

  beforeAll(async () => {
    smtp = new SmtpCatcher(await freePort());
    await smtp.start();
    app = await emailApp(smtp.port);
  });
  afterAll(async () => {
    await app.close();
    await smtp.stop();
  });
  // Replies go out after the answer: the previous test's replies arrive before this one counts.
  beforeEach(() => outboxDrained(app));

  it('stores the email, sends one auto-reply with a chat link, and the link opens the conversation for that customer', async () => {
    const response = await postRaw(app, fixture('gmail-plain.eml')).expect(200);
    // Stored with its reply in the outbox; the reply goes out once the answer is given.
    expect(response.body).toEqual({
      conversationId: expect.stringMatching(/^c_/),
      duplicate: false,
      autoReply: 'queued',
    });
    const [reply] = await smtp.waitFor(1);
    const original = await (await import('mailparser')).simpleParser(fixture('gmail-plain.eml'));
    expect(reply!.mailFrom).toMatchObject({ address: '' });
    expect(reply!.rcptTo).toEqual([
      original.replyTo?.value[0]?.address ?? original.from!.value[0]!.address,
    ]);
    expect(reply!.message.subject).toBe(`Re: ${original.subject}`);
    expect(reply!.message.inReplyTo).toBe(original.messageId);
    expect(reply!.message.headers.get('auto-submitted')).toBe('auto-replied');
    const token = linkTokenOf(reply!.message.text!);
    expect(reply!.message.html).toContain(WIDGET_HOST);
    expect(token).not.toContain(SECRET);
    expect(token).not.toContain(response.body.conversationId);

    const customer = original.from!.value[0]!.address!;
    const session = await request(app.getHttpServer())
      .post('/helper/widget/session')
      .send(signIdentity({ email: customer }, SECRET))
      .expect(200);
    const opened = await request(app.getHttpServer())
      .post('/helper/conversations/from-link')
      .set('Authorization', `Bearer ${session.body.token}`)
      .send({ token })
      .expect(200);
    expect(opened.body.conversation).toMatchObject({
      id: response.body.conversationId,
      origin: 'email',
      subject: original.subject,
    });
    const mine = await request(app.getHttpServer())
      .get('/helper/conversations')
      .set('Authorization', `Bearer ${session.body.token}`)
      .expect(200);
    expect(mine.body.conversations.map((c: { id: string }) => c.id)).toContain(
      response.body.conversationId,
    );

    // Someone else, or an anonymous visitor, gets nothing from the same link.
    const stranger = await request(app.getHttpServer())
      .post('/helper/widget/session')
      .send(signIdentity({ email: 'eve@example.com' }, SECRET))
      .expect(200);
    const anonymous = await request(app.getHttpServer())
      .post('/helper/widget/session')
      .send({})
      .expect(200);
    for (const other of [stranger, anonymous]) {
      await request(app.getHttpServer())
        .post('/helper/conversations/from-link')
        .set('Authorization', `Bearer ${other.body.token}`)
        .send({ token })
        .expect(404);
      await request(app.getHttpServer())
        .get(`/helper/conversations/${response.body.conversationId}/messages`)
        .set('Authorization', `Bearer ${other.body.token}`)
        .expect(404);
    }
  });

  it('stores and answers the same message once, however often it is delivered', async () => {
    const raw = customerMail('dup-1');
    const sentBefore = smtp.mail.length;
    const first = await postRaw(app, raw).expect(200);
    const again = await postRaw(app, raw).expect(200);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    await smtp.waitFor(sentBefore + 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.mail.length).toBe(sentBefore + 1);
    const messages = await request(app.getHttpServer())
      .get(`/helper/staff/conversations/${first.body.conversationId}/messages`)
      .set(staff)
      .expect(200);
    expect(messages.body.messages).toHaveLength(1);
  });

  it('threads a reply into its conversation without a second auto-reply, and shows staff why', async () => {
    const first = await postRaw(app, customerMail('thread-1', 'bob@example.org')).expect(200);
    const reply = customerMail(
      'thread-2',
      'bob@example.org',
      'In-Reply-To: <thread-1@mail.example.org>\r\nReferences: <thread-1@mail.example.org>',
    );
    const second = await postRaw(app, reply).expect(200);
    expect(second.body).toEqual({
      conversationId: first.body.conversationId,
      duplicate: false,
      autoReply: 'skipped',
      skipReason: 'not-first-message',
    });
    // The first email's reply is marked sent once the SMTP server took it.
    const messages = await until(async () => {
      const page = await request(app.getHttpServer())
        .get(`/helper/staff/conversations/${first.body.conversationId}/messages`)
        .set(staff)
        .expect(200);
      return page.body.messages[0].email.autoReply === 'sent' ? page : undefined;
    });
    expect(messages.body.messages.map((m: { email: unknown }) => m.email)).toEqual([
      { autoReply: 'sent', skipReason: null, skipReasonText: null },
      {
        autoReply: 'skipped',
        skipReason: 'not-first-message',
        skipReasonText: expect.stringMatching(/already exists: only a first email is answered/),
      },
    ]);
    const list = await request(app.getHttpServer())
      .get('/helper/staff/conversations?limit=100')
      .set(staff)
      .expect(200);
    expect(
      list.body.conversations.find((c: { id: string }) => c.id === first.body.conversationId),
    ).toMatchObject({ origin: 'email', customer: { email: 'bob@example.org' } });
  });

  it('answers a sender once per rate window', async () => {
    await postRaw(app, customerMail('rate-1', 'carol@example.org')).expect(200);
    const second = await postRaw(app, customerMail('rate-2', 'carol@example.org')).expect(200);
    expect(second.body).toMatchObject({ autoReply: 'skipped', skipReason: 'rate-limited' });
  });

  it.each<[string, string]>([
    ['outlook-out-of-office.eml', 'auto-submitted'],
    ['gmail-vacation.eml', 'auto-submitted'],
    ['bounce.eml', 'bounce'],
    ['mailing-list.eml', 'precedence'],
    ['newsletter.eml', 'precedence'],
    ['no-reply-sender.eml', 'system-sender'],
    ['from-mailbox-itself.eml', 'self'],
  ])('stores %s but does not answer it (%s)', async (name, reason) => {
    const response = await postRaw(app, fixture(name)).expect(200);
    expect(response.body).toMatchObject({
      duplicate: false,
      autoReply: 'skipped',
      skipReason: expect.any(String),
    });
    expect(response.body.skipReason).toBe(reason);
  });

  it('keeps CR/LF out of the reply subject', async () => {
    const before = smtp.mail.length;
    await postRaw(app, fixture('subject-injection.eml')).expect(200);
    const mail = await smtp.waitFor(before + 1);
    const subject = mail.at(-1)!.message.subject!;
    expect(subject).not.toMatch(/[\r\n]/);
    expect(mail.at(-1)!.message.bcc).toBeUndefined();
  });

  it.each<[string, () => request.Test]>([
    ['a wrong bearer secret', () => postRaw(app, customerMail('auth-1'), 'x'.repeat(40))],
    [
      'no credentials',
      () =>
        request(app.getHttpServer())
          .post('/helper/email/inbound')
          .set('Content-Type', 'message/rfc822')
          .send(customerMail('auth-2')),
    ],
  ])('refuses %s with 401 and stores nothing', async (_label, send) => {
    const before = (
      await request(app.getHttpServer()).get('/helper/staff/conversations?limit=100').set(staff)
    ).body.conversations.length;
    const response = await send();
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, code: 'unauthorized' });
    const after = (
      await request(app.getHttpServer()).get('/helper/staff/conversations?limit=100').set(staff)
    ).body.conversations.length;
    expect(after).toBe(before);
  });

  it('refuses malformed MIME with 400 and stores nothing', async () => {
    const response = await postRaw(app, fixture('malformed-no-from.eml'));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('malformed_message');
  });

  it('accepts SendGrid, Mailgun and Postmark deliveries, and refuses bad signatures and stale timestamps for good', async () => {
    const server = app.getHttpServer();
    const sendgrid = multipartForm({
      email: customerMail('sg-1', 'sg@example.org').toString('latin1'),
      to: MAILBOX,
    });
    await request(server)
      .post('/helper/email/inbound/sendgrid')
      .set('Authorization', basicAuth(INBOUND_SECRET))
      .set('Content-Type', sendgrid.contentType)
      .send(sendgrid.body)
      .expect(200);

    const timestamp = String(Math.floor(Date.now() / 1000));
    const token = 'a'.repeat(50);
    const signature = createHmac('sha256', MAILGUN_KEY)
      .update(timestamp + token)
      .digest('hex');
    const mailgun = (fields: Record<string, string>) => {
      const form = multipartForm({
        'body-mime': customerMail('mg-1', 'mg@example.org').toString('latin1'),
        ...fields,
      });
      return request(server)
        .post('/helper/email/inbound/mailgun')
        .set('Content-Type', form.contentType)
        .send(form.body);
    };
    // Mailgun stops retrying on 406 only: a bad or stale signature will never verify.
    expect((await mailgun({ timestamp, token, signature: '0'.repeat(64) })).status).toBe(406);
    const stale = String(Math.floor(Date.now() / 1000) - 600);
    const staleSignature = createHmac('sha256', MAILGUN_KEY)
      .update(stale + token)
      .digest('hex');
    expect((await mailgun({ timestamp: stale, token, signature: staleSignature })).status).toBe(
      406,
    );
    const accepted = await mailgun({ timestamp, token, signature });
    expect(accepted.status).toBe(200);
    // Mailgun retrying the same message with the same signed token: stored once, answered 200.
    const retried = await mailgun({ timestamp, token, signature });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({
      duplicate: true,
      conversationId: accepted.body.conversationId,
    });
    // The captured signature replayed with another message: refused, and nothing stored.
    const replay = multipartForm({
      'body-mime': customerMail('mg-replay', 'attacker@example.org').toString('latin1'),
      timestamp,
      token,
      signature,
    });
    const replayed = await request(server)
      .post('/helper/email/inbound/mailgun')
      .set('Content-Type', replay.contentType)
      .send(replay.body);
    expect(replayed.status).toBe(406);
    expect(replayed.body.message).toMatch(/already used for another message/);
    const staffList = await request(server)
      .get('/helper/staff/conversations?limit=100')
      .set(staff)
      .expect(200);
    expect(
      staffList.body.conversations.some(
        (c: { customer: { email: string } | null }) => c.customer?.email === 'attacker@example.org',
      ),
    ).toBe(false);

    const postmark = {
      From: 'pm@example.org',
      FromFull: { Email: 'pm@example.org', Name: 'Pat Mark' },
      To: MAILBOX,
      Subject: 'Postmark question',
      MessageID: '2b9f1c3e-postmark',
      TextBody: 'Hello from Postmark',
      Headers: [{ Name: 'Message-ID', Value: '<pm-1@mail.example.org>' }],
    };
    const pm = await request(server)
      .post('/helper/email/inbound/postmark')
      .set('Authorization', basicAuth(INBOUND_SECRET))
      .send(postmark)
      .expect(200);
    expect(pm.body.duplicate).toBe(false);
    await request(server)
      .post('/helper/email/inbound/postmark')
      .set('Authorization', basicAuth('wrong-secret'))
      .send(postmark)
      // Postmark stops retrying on 403 only.
      .expect(403);
  });

  it('answers 413 for a message over the size limit', async () => {
    const small = await emailApp(smtp.port, undefined, { maxMessageBytes: 64 * 1024 });
    const response = await postRaw(small, oversizedMessage(200 * 1024));
    expect(response.status).toBe(413);
    await small.close();
  });
});

describe('the outbox', () => {
  it('keeps a reply while the SMTP server is down and delivers it exactly once when it is up', async () => {
    const smtp = new SmtpCatcher(await freePort());
    const app = await emailApp(smtp.port);
    const response = await postRaw(app, customerMail('down-1', 'dora@example.org')).expect(200);
    expect(response.body.autoReply).toBe('queued');
    await smtp.start();
    await smtp.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.mail).toHaveLength(1);
    await app.close();
    await smtp.stop();
  });

  it('sends a queued reply after a restart, once', async () => {
    const smtp = new SmtpCatcher(await freePort());
    const database = await testDatabase();
    const first = await emailApp(smtp.port, database);
    await postRaw(first, customerMail('restart-1', 'rita@example.org')).expect(200);
    await first.close();

    await smtp.start();
    const second = await emailApp(smtp.port, database);
    await smtp.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.mail).toHaveLength(1);
    expect(smtp.mail[0]!.rcptTo).toEqual(['rita@example.org']);
    await second.close();
    await smtp.stop();
  });
});
