import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DEFAULT_SETTINGS } from '@helperkit/core';
import { signIdentity } from '@helperkit/core/node';
import { StaffTokenGuard, helperModules, listen, startApp } from './support/app.js';
import { createTestDatabase } from './support/postgres.js';
import { ADMIN_TOKEN, SECRET } from './support/secrets.js';
import { SseClient } from './support/sse.js';
import { INBOUND_SECRET, MAILBOX } from './email/support.js';
import { SmtpCatcher, freePort } from './support/smtp-catcher.js';

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };

// Two application instances behind a load balancer, sharing one PostgreSQL database.
describe('email on two instances sharing one PostgreSQL database', () => {
  const email = (smtpPort: number) => ({
    address: MAILBOX,
    smtp: { host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true },
    inboundSecret: INBOUND_SECRET,
    retryDelayMs: 200,
    senderAuthentication: 'off' as const,
  });
  const deliver = (app: INestApplication, raw: Buffer) =>
    request(app.getHttpServer())
      .post('/helper/email/inbound')
      .set('Authorization', `Bearer ${INBOUND_SECRET}`)
      .set('Content-Type', 'message/rfc822')
      .send(raw);
  const mail = (id: string, from: string) =>
    Buffer.from(
      `From: ${from}\r\nTo: ${MAILBOX}\r\nSubject: Help ${id}\r\nMessage-ID: <${id}@example.org>\r\n\r\nHello\r\n`,
    );

  /** Two instances on a fresh database, with the email-to-chat auto-reply on. */
  async function startEmailInstances(
    smtpPort: number,
  ): Promise<[INestApplication, INestApplication]> {
    const url = await createTestDatabase();
    const options = {
      hmacSecrets: [SECRET],
      adminGuard: StaffTokenGuard,
      database: { url },
    };
    const [a, b] = await Promise.all([
      startApp(helperModules(options, email(smtpPort))),
      startApp(helperModules(options, email(smtpPort))),
    ]);
    await request(a.getHttpServer())
      .patch('/helper/settings')
      .set(staff)
      .send({ autoRespondEmailToChat: true, widgetHost: 'https://shop.example.com/help' })
      .expect(200);
    return [a, b];
  }

  it('stores and answers an email delivered to both at once exactly once', async () => {
    const smtp = new SmtpCatcher(await freePort());
    await smtp.start();
    const [a, b] = await startEmailInstances(smtp.port);

    const raw = mail('both-1', 'twice@example.org');
    const [first, second] = await Promise.all([deliver(a, raw), deliver(b, raw)]);
    expect([first!.status, second!.status]).toEqual([200, 200]);
    expect(first!.body.conversationId).toBe(second!.body.conversationId);
    expect([first!.body.duplicate, second!.body.duplicate].sort()).toEqual([false, true]);
    await smtp.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(smtp.mail).toHaveLength(1);
    const list = await request(b.getHttpServer())
      .get('/helper/staff/conversations?limit=100')
      .set(staff)
      .expect(200);
    expect(
      list.body.conversations.filter(
        (c: { customer: { email: string } | null }) => c.customer?.email === 'twice@example.org',
      ),
    ).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
    await smtp.stop();
  });

  it('never sends a queued reply twice when both instances retry it', async () => {
    const smtp = new SmtpCatcher(await freePort());
    const [a, b] = await startEmailInstances(smtp.port);
    // The SMTP server is down: every reply waits in the outbox that both instances poll.
    const senders = ['q1@example.org', 'q2@example.org', 'q3@example.org', 'q4@example.org'];
    for (const [index, sender] of senders.entries()) {
      const response = await deliver(
        index % 2 === 0 ? a : b,
        mail(`queued-${index}`, sender),
      ).expect(200);
      expect(response.body.autoReply).toBe('queued');
    }
    await smtp.start();
    await smtp.waitFor(senders.length);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(smtp.mail.map((m) => m.rcptTo[0]).sort()).toEqual(senders);
    await Promise.all([a.close(), b.close()]);
    await smtp.stop();
  });
});

describe('two instances on one PostgreSQL database', () => {
  let a: INestApplication;
  let b: INestApplication;
  let baseB: string;

  beforeAll(async () => {
    const url = await createTestDatabase();
    const options = { hmacSecrets: [SECRET], adminGuard: StaffTokenGuard, database: { url } };
    // Started together: the migrator's lock lets one of them migrate, the other wait.
    [a, b] = await Promise.all([
      startApp(helperModules(options)),
      startApp(helperModules(options)),
    ]);
    baseB = await listen(b);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('loses no field when the two instances take concurrent settings updates', async () => {
    const patches = [
      { minValue: 7 },
      { title: 'Both' },
      { displayMode: 'off' },
      { allowAnonymous: false },
    ];
    const servers = [a.getHttpServer(), b.getHttpServer()];
    await Promise.all(
      patches.map((patch, i) =>
        request(servers[i % 2])
          .patch('/helper/settings')
          .set(staff)
          .send(patch)
          .expect(200),
      ),
    );
    for (const server of servers) {
      await request(server)
        .get('/helper/settings')
        .set(staff)
        .expect(200, { ...DEFAULT_SETTINGS, ...Object.assign({}, ...patches) });
    }
    await request(a.getHttpServer())
      .patch('/helper/settings')
      .set(staff)
      .send({ allowAnonymous: true, displayMode: 'always' })
      .expect(200);
  });

  it('delivers a message stored by instance A to a stream on instance B, and resumes exactly on B', async () => {
    const session = await request(a.getHttpServer())
      .post('/helper/widget/session')
      .send(signIdentity({ email: 'both@example.com' }, SECRET))
      .expect(200);
    const token = session.body.token as string;
    const stream = new SseClient(`${baseB}/helper/events?token=${token}`);
    const staffStream = new SseClient(`${baseB}/helper/staff/events`, staff);
    await stream.waitFor((e) => e.type === 'ready');
    await staffStream.waitFor((e) => e.type === 'ready');

    const started = await request(a.getHttpServer())
      .post('/helper/conversations')
      .set({ Authorization: `Bearer ${token}` })
      .send({ body: 'Via A' })
      .expect(201);
    const id = started.body.conversation.id as string;
    const [first] = await stream.waitFor((e) => e.type === 'message');
    expect(first!.data).toMatchObject({ message: { body: 'Via A' } });
    await staffStream.waitFor((e) => e.type === 'message');
    stream.close();

    // Replies through both instances while the customer is away, then a resume on B.
    await request(a.getHttpServer())
      .post(`/helper/staff/conversations/${id}/messages`)
      .set(staff)
      .send({ body: 'reply 1' })
      .expect(201);
    await request(b.getHttpServer())
      .post(`/helper/staff/conversations/${id}/messages`)
      .set(staff)
      .send({ body: 'reply 2' })
      .expect(201);
    const resumed = new SseClient(`${baseB}/helper/events?token=${token}&lastEventId=${first!.id}`);
    const missed = await resumed.waitFor((e) => e.type === 'message', 2);
    expect(missed.map((e) => (e.data as { message: { body: string } }).message.body)).toEqual([
      'reply 1',
      'reply 2',
    ]);
    await request(a.getHttpServer())
      .post(`/helper/staff/conversations/${id}/messages`)
      .set(staff)
      .send({ body: 'reply 3' })
      .expect(201);
    const all = await resumed.waitFor((e) => e.type === 'message', 3);
    expect(new Set(all.map((e) => e.id)).size).toBe(3);
    resumed.close();
    staffStream.close();
  });

  it('keeps one conversation per client id when both instances receive the same retry', async () => {
    const session = await request(a.getHttpServer())
      .post('/helper/widget/session')
      .send({})
      .expect(200);
    const auth = { Authorization: `Bearer ${session.body.token}` };
    const [first, second] = await Promise.all(
      [a, b].map((app) =>
        request(app.getHttpServer())
          .post('/helper/conversations')
          .set(auth)
          .send({ body: 'Once', clientId: 'same-retry' }),
      ),
    );
    expect([first!.status, second!.status].sort()).toEqual([200, 201]);
    expect(first!.body.conversation.id).toBe(second!.body.conversation.id);
  });
});
