import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { HelperEmailOptions } from '../src/index.js';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import { INBOUND_SECRET, MAILBOX, basicAuth, multipartForm } from './email/support.js';
import { StaffTokenGuard, helperModules, startApp, testDatabase } from './support/app.js';
import { ADMIN_TOKEN, SECRET } from './support/secrets.js';
import { SmtpCatcher, freePort } from './support/smtp-catcher.js';
import { outboxDrained } from './support/outbox.js';

// Attacks on the inbound email's trust rules, over HTTP, the way an outsider would send them.
// The host's MTA is `mx.shop.example`; it vouches for senders in its Authentication-Results.

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const MTA = 'mx.shop.example';
let counter = 0;

const vouched = (domain: string) =>
  `Authentication-Results: ${MTA}; dmarc=pass (p=reject) header.from=${domain}`;

function mail({
  from = 'Kate <kate@example.org>',
  headers = [] as string[],
  subject = 'Where is my order?',
  id = `m${++counter}-${Date.now()}@example.org`,
  body = 'Hello, my parcel is late.',
} = {}) {
  return {
    id: `<${id}>`,
    raw: Buffer.from(
      [
        ...headers,
        `From: ${from}`,
        `To: ${MAILBOX}`,
        `Subject: ${subject}`,
        `Message-ID: <${id}>`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        body,
        '',
      ].join('\r\n'),
    ),
  };
}

/**
 * A host app behind the MTA `mx.shop.example`, its SMTP server caught, the auto-reply on. The
 * caller closes both.
 */
async function startTrustingApp(email: Partial<HelperEmailOptions> = {}) {
  const smtp = new SmtpCatcher(await freePort());
  await smtp.start();
  const app = await startApp(
    helperModules(
      { hmacSecrets: [SECRET], adminGuard: StaffTokenGuard, database: await testDatabase() },
      {
        address: MAILBOX,
        smtp: { host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true },
        inboundSecret: INBOUND_SECRET,
        trustedAuthServIds: [MTA],
        ...email,
      },
    ),
  );
  await request(app.getHttpServer())
    .patch('/helper/settings')
    .set(staff)
    .send({ autoRespondEmailToChat: true, widgetHost: 'https://shop.example/help' })
    .expect(200);
  return { smtp, app };
}

describe('inbound email trusts only authenticated senders', () => {
  let smtp: SmtpCatcher;
  let app: INestApplication;
  let server: ReturnType<INestApplication['getHttpServer']>;

  const post = (raw: Buffer) =>
    request(server)
      .post('/helper/email/inbound')
      .set('Authorization', `Bearer ${INBOUND_SECRET}`)
      .set('Content-Type', 'message/rfc822')
      .send(raw);
  const staffConversations = async () =>
    (await request(server).get('/helper/staff/conversations?limit=100').set(staff).expect(200)).body
      .conversations as Array<{
      id: string;
      subject: string | null;
      senderVerified: boolean;
      customer: { email: string } | null;
    }>;
  const widgetConversationsOf = async (email: string) => {
    const session = await request(server)
      .post('/helper/widget/session')
      .send(signIdentity({ email }, SECRET))
      .expect(200);
    const list = await request(server)
      .get('/helper/conversations')
      .set('Authorization', `Bearer ${session.body.token as string}`)
      .expect(200);
    return (list.body.conversations as Array<{ id: string }>).map((c) => c.id);
  };
  const staffMessages = async (id: string) =>
    (await request(server).get(`/helper/staff/conversations/${id}/messages`).set(staff).expect(200))
      .body.messages as Array<{ body: string; email: { skipReason: string | null } | null }>;

  beforeAll(async () => {
    ({ smtp, app } = await startTrustingApp());
    server = app.getHttpServer();
  });
  afterAll(async () => {
    await app.close();
    await smtp.stop();
  });
  beforeEach(async () => {
    await outboxDrained(app);
    smtp.mail.length = 0;
  });

  it('keeps a forged From apart: never in that customer’s widget, never answered', async () => {
    const forged = await post(mail({ from: 'Kate <kate@example.org>' }).raw).expect(200);
    expect(forged.body).toMatchObject({
      autoReply: 'skipped',
      skipReason: 'unauthenticated-sender',
    });
    expect(await widgetConversationsOf('kate@example.org')).not.toContain(
      forged.body.conversationId,
    );
    const listed = (await staffConversations()).find((c) => c.id === forged.body.conversationId);
    expect(listed).toMatchObject({
      senderVerified: false,
      customer: { email: 'kate@example.org' },
    });
    expect((await staffMessages(forged.body.conversationId))[0]!.email).toMatchObject({
      skipReason: 'unauthenticated-sender',
    });
    expect(smtp.mail).toHaveLength(0);
  });

  it('believes only the topmost Authentication-Results of the trusted server', async () => {
    const below = await post(
      mail({
        headers: [
          `Authentication-Results: ${MTA}; dmarc=fail header.from=example.org`,
          vouched('example.org'), // the sender's own copy, lower down
        ],
      }).raw,
    ).expect(200);
    expect(below.body.skipReason).toBe('unauthenticated-sender');
    const otherServer = await post(
      mail({
        headers: [
          'Authentication-Results: mx.attacker.example; dmarc=pass header.from=example.org',
        ],
      }).raw,
    ).expect(200);
    expect(otherServer.body.skipReason).toBe('unauthenticated-sender');
    const otherDomain = await post(mail({ headers: [vouched('attacker.example')] }).raw).expect(
      200,
    );
    expect(otherDomain.body.skipReason).toBe('unauthenticated-sender');
    expect(smtp.mail).toHaveLength(0);
  });

  it('answers an authenticated customer, in their widget', async () => {
    const sent = await post(
      mail({ from: 'Lee <lee@example.org>', headers: [vouched('example.org')] }).raw,
    ).expect(200);
    expect(sent.body).toMatchObject({ autoReply: 'queued' });
    expect(await widgetConversationsOf('lee@example.org')).toContain(sent.body.conversationId);
    const [reply] = await smtp.waitFor(1);
    expect(reply!.rcptTo).toEqual(['lee@example.org']);
  });

  it('never answers a Reply-To outside the From’s domain (no spam relay)', async () => {
    await post(
      mail({
        from: 'Max <max@example.org>',
        headers: [vouched('example.org'), 'Reply-To: victim@elsewhere.example'],
        subject: 'WIN $5000 NOW',
      }).raw,
    ).expect(200);
    const [reply] = await smtp.waitFor(1);
    expect(reply!.rcptTo).toEqual(['max@example.org']);
    smtp.mail.length = 0;
    await post(
      mail({
        from: 'Noor <noor@example.org>',
        headers: [vouched('example.org'), 'Reply-To: orders@example.org'],
      }).raw,
    ).expect(200);
    expect((await smtp.waitFor(1))[0]!.rcptTo).toEqual(['orders@example.org']);
  });

  it('joins a thread only for its owner: a stranger’s In-Reply-To starts their own', async () => {
    const first = mail({ from: 'Ola <ola@example.org>', headers: [vouched('example.org')] });
    const original = await post(first.raw).expect(200);
    const stranger = await post(
      mail({
        from: 'Eve <eve@evil.example>',
        headers: [vouched('evil.example'), `In-Reply-To: ${first.id}`, `References: ${first.id}`],
        body: 'Injected text',
      }).raw,
    ).expect(200);
    expect(stranger.body.conversationId).not.toBe(original.body.conversationId);
    const olas = await staffMessages(original.body.conversationId);
    expect(olas.map((m) => m.body)).not.toContain('Injected text');
    const followUp = await post(
      mail({
        from: 'Ola <ola@example.org>',
        headers: [vouched('example.org'), `In-Reply-To: ${first.id}`],
        body: 'Any news?',
      }).raw,
    ).expect(200);
    expect(followUp.body.conversationId).toBe(original.body.conversationId);
  });

  it('cuts a huge subject to 200 characters without control characters', async () => {
    const stored = await post(
      mail({ headers: [vouched('example.org')], subject: `Help\t${'x'.repeat(500_000)}` }).raw,
    ).expect(200);
    const listed = (await staffConversations()).find((c) => c.id === stored.body.conversationId);
    expect([...listed!.subject!].length).toBeLessThanOrEqual(200);
    expect(listed!.subject).toMatch(/^Help x+…$/);
  });

  it('keeps a bounce without a sender, says whose address failed, and never refuses it', async () => {
    const answered = await post(
      mail({ from: 'Pia <pia@example.org>', headers: [vouched('example.org')] }).raw,
    ).expect(200);
    const [reply] = await smtp.waitFor(1);
    const ourId = reply!.message.messageId!;
    const boundary = 'bounce-boundary';
    const bounce = Buffer.from(
      [
        'From: Mail Delivery System <>',
        `To: ${MAILBOX}`,
        'Subject: Undelivered Mail Returned to Sender',
        'Message-ID: <bounce-1@mx.example.org>',
        `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
        '',
        `--${boundary}`,
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        `--${boundary}`,
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.org',
        '',
        'Final-Recipient: rfc822; pia@example.org',
        'Action: failed',
        'Status: 5.1.1',
        `--${boundary}`,
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${ourId}`,
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
    const stored = await post(bounce).expect(200);
    expect(stored.body.skipReason).toBe('bounce');
    const [note] = await staffMessages(stored.body.conversationId);
    expect(note!.body).toContain('Delivery failed to: pia@example.org.');
    expect(note!.body).toContain(`conversation ${answered.body.conversationId as string}`);
    expect(await widgetConversationsOf('pia@example.org')).not.toContain(
      stored.body.conversationId,
    );
  });

  it('recognises its own reply coming back (own-message-id)', async () => {
    await post(mail({ from: 'Raj <raj@example.org>', headers: [vouched('example.org')] }).raw);
    const [reply] = await smtp.waitFor(1);
    const echoed = await post(
      mail({
        from: 'Raj <raj@example.org>',
        headers: [vouched('example.org')],
        id: reply!.message.messageId!.slice(1, -1),
      }).raw,
    ).expect(200);
    expect(echoed.body.skipReason).toBe('own-message-id');
  });

  it('reads SendGrid’s own verdicts: pass is answered, fail is kept apart', async () => {
    const send = (spf: string, dkim: string, from: string) => {
      const form = multipartForm({
        email: mail({ from }).raw,
        SPF: spf,
        dkim,
        envelope: JSON.stringify({ to: [MAILBOX], from: from.replace(/.*<|>.*/g, '') }),
      });
      return request(server)
        .post('/helper/email/inbound/sendgrid')
        .set('Authorization', basicAuth(INBOUND_SECRET))
        .set('Content-Type', form.contentType)
        .send(form.body);
    };
    const failed = await send('fail', '{@example.net : fail}', 'Una <una@example.net>').expect(200);
    expect(failed.body.skipReason).toBe('unauthenticated-sender');
    const passed = await send('pass', '{@example.net : pass}', 'Vic <vic@example.net>').expect(200);
    expect(passed.body).toMatchObject({ autoReply: 'queued' });
    expect(await widgetConversationsOf('vic@example.net')).toContain(passed.body.conversationId);
    expect((await smtp.waitFor(1))[0]!.rcptTo).toEqual(['vic@example.net']);
  });
});

describe('the reply budget', () => {
  it('sends at most maxAutoRepliesPerHour automatic emails per mailbox, then none', async () => {
    const { smtp, app } = await startTrustingApp({ maxAutoRepliesPerHour: 2 });
    try {
      const answers: Array<string | undefined> = [];
      for (let i = 0; i < 4; i++) {
        const answer = await request(app.getHttpServer())
          .post('/helper/email/inbound')
          .set('Authorization', `Bearer ${INBOUND_SECRET}`)
          .set('Content-Type', 'message/rfc822')
          .send(
            mail({ from: `Sam${i} <sam${i}@example.org>`, headers: [vouched('example.org')] }).raw,
          )
          .expect(200);
        answers.push(answer.body.skipReason as string | undefined);
      }
      expect(answers).toEqual([undefined, undefined, 'reply-budget', 'reply-budget']);
      expect(await smtp.waitFor(2)).toHaveLength(2);
    } finally {
      await app.close();
      await smtp.stop();
    }
  });
});
