import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CHAT_LINK_PARAM } from '@helperkit/core';
import { signIdentity } from '@helperkit/core/node';
import type { HelperEmailOptions, HelperModuleOptions } from '../src/index.js';
import { startAnsweringApp } from './email/answering-app.js';
import { INBOUND_SECRET, MAILBOX } from './email/support.js';
import { listen, testDatabase } from './support/app.js';
import { ADMIN_TOKEN, SECRET } from './support/secrets.js';
import { SmtpCatcher, freePort, type CaughtMail } from './support/smtp-catcher.js';
import { SseClient } from './support/sse.js';
import { until } from './support/until.js';

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const WIDGET_HOST = 'https://shop.example.com/help';
/** Long enough for a test's next request to come first, short enough to wait for (the outbox looks every second). */
const DELAY_MS = 1000;

interface Emailed {
  status: 'queued' | 'sent' | 'cancelled' | 'failed';
  sentAt: string | null;
  reason: string | null;
}
interface StaffMessage {
  id: number;
  author: string;
  body: string;
  emailed: Emailed | null;
  /** How an email that started the message was answered. */
  email?: { autoReply: string } | null;
}

function continuityApp(
  smtpPort: number,
  {
    database,
    email = {},
  }: { database?: HelperModuleOptions['database']; email?: Partial<HelperEmailOptions> } = {},
) {
  return startAnsweringApp(
    smtpPort,
    {
      from: '"Example Support" <support@example.com>',
      retryDelayMs: 300,
      unseenReplyDelayMs: DELAY_MS,
      ...email,
    },
    {
      database,
      limits: { sessionsPerIpPerHour: 1000, conversationsPerIpPerHour: 1000 },
      widgetHost: WIDGET_HOST,
    },
  );
}

/** A widget session: identified as `email` (signed, as the host's page does), else anonymous. */
async function sessionOf(app: INestApplication, email?: string): Promise<string> {
  const response = await request(app.getHttpServer())
    .post('/helper/widget/session')
    .send(email ? signIdentity({ email }, SECRET) : {})
    .expect(200);
  return response.body.token as string;
}

/** A customer starts a conversation in the chat; answers its id. */
async function chatStarted(app: INestApplication, token: string, body = 'Where is my refund?') {
  const response = await request(app.getHttpServer())
    .post('/helper/conversations')
    .set(bearer(token))
    .send({ body })
    .expect(201);
  return response.body.conversation.id as string;
}

const staffReply = async (app: INestApplication, conversationId: string, body: string) =>
  (
    await request(app.getHttpServer())
      .post(`/helper/staff/conversations/${conversationId}/messages`)
      .set(staff)
      .send({ body })
      .expect(201)
  ).body.message.id as number;

async function staffMessages(app: INestApplication, conversationId: string) {
  const response = await request(app.getHttpServer())
    .get(`/helper/staff/conversations/${conversationId}/messages`)
    .set(staff)
    .expect(200);
  return response.body.messages as StaffMessage[];
}

/** Waits until the continuity email of this staff reply is no longer queued; answers its state. */
const settled = (app: INestApplication, conversationId: string, messageId: number) =>
  until(async () => {
    const message = (await staffMessages(app, conversationId)).find((m) => m.id === messageId);
    return message?.emailed && message.emailed.status !== 'queued' ? message.emailed : undefined;
  });

/** Every email the SMTP server caught for `address`. */
const mailTo = (smtp: SmtpCatcher, address: string): CaughtMail[] =>
  smtp.mail.filter((mail) => mail.rcptTo.includes(address));

/** Some time for a second (wrong) email to arrive: longer than one outbox poll. */
const quietPeriod = () => new Promise((resolve) => setTimeout(resolve, 1500));

const rawMail = (lines: string[]) => Buffer.from([...lines, ''].join('\r\n'));

const postRaw = (app: INestApplication, raw: Buffer) =>
  request(app.getHttpServer())
    .post('/helper/email/inbound')
    .set('Authorization', `Bearer ${INBOUND_SECRET}`)
    .set('Content-Type', 'message/rfc822')
    .send(raw)
    .expect(200);

const linkTokenOf = (text: string) =>
  new URL(/https:\/\/\S+/.exec(text)![0]).searchParams.get(CHAT_LINK_PARAM)!;

describe('continuity by email', () => {
  let smtp: SmtpCatcher;
  let app: INestApplication;
  let customers = 0;
  const newCustomer = () => `continuity-${++customers}@example.org`;

  beforeAll(async () => {
    smtp = new SmtpCatcher(await freePort());
    await smtp.start();
    app = await continuityApp(smtp.port);
  });
  afterAll(async () => {
    await app.close();
    await smtp.stop();
  });

  it('emails an unread staff reply once after the delay, as a person, with the chat link', async () => {
    const customer = newCustomer();
    const token = await sessionOf(app, customer);
    const conversationId = await chatStarted(app, token);
    const replyId = await staffReply(app, conversationId, 'Your refund left today.\n<b>Sorry</b>!');

    const queued = await staffMessages(app, conversationId);
    expect(queued.map((m) => m.emailed)).toEqual([
      null,
      { status: 'queued', sentAt: null, reason: null },
    ]);
    expect(await settled(app, conversationId, replyId)).toEqual({
      status: 'sent',
      sentAt: expect.any(String),
      reason: null,
    });
    await quietPeriod();
    const [mail, ...more] = mailTo(smtp, customer);
    expect(more).toEqual([]);
    expect(mail!.mailFrom).toMatchObject({ address: MAILBOX });
    const { message } = mail!;
    expect(message.from?.value).toEqual([{ address: MAILBOX, name: 'Example Support' }]);
    expect(message.subject).toBe('Re: Your message');
    expect(message.headers.has('auto-submitted')).toBe(false);
    expect(message.headers.get('x-auto-response-suppress')).toBe('OOF, AutoReply');
    expect(message.text).toContain('Your refund left today.\n<b>Sorry</b>!');
    expect(message.html).toContain('Your refund left today.<br>\n&lt;b&gt;Sorry&lt;/b&gt;!');
    expect(message.html).not.toContain('<b>');

    // The link opens this conversation for this customer.
    const opened = await request(app.getHttpServer())
      .post('/helper/conversations/from-link')
      .set(bearer(await sessionOf(app, customer)))
      .send({ token: linkTokenOf(message.text!) })
      .expect(200);
    expect(opened.body.conversation.id).toBe(conversationId);
    expect(message.html).toContain(`href="${WIDGET_HOST}?${CHAT_LINK_PARAM}=`);
  });

  it('sends nothing when the customer answered in the chat meanwhile', async () => {
    const customer = newCustomer();
    const token = await sessionOf(app, customer);
    const conversationId = await chatStarted(app, token);
    const replyId = await staffReply(app, conversationId, 'Could you send the order number?');
    await request(app.getHttpServer())
      .post(`/helper/conversations/${conversationId}/messages`)
      .set(bearer(token))
      .send({ body: 'It is 12345', clientId: 'answer-1' })
      .expect(201);

    expect(await settled(app, conversationId, replyId)).toEqual({
      status: 'cancelled',
      sentAt: null,
      reason: 'read',
    });
    expect(mailTo(smtp, customer)).toEqual([]);
  });

  it('sends nothing when the widget marked the reply read meanwhile', async () => {
    const customer = newCustomer();
    const token = await sessionOf(app, customer);
    const conversationId = await chatStarted(app, token);
    const replyId = await staffReply(app, conversationId, 'Your parcel left today.');
    // What the widget posts when it shows the conversation: no answer, only the read mark.
    await request(app.getHttpServer())
      .post(`/helper/conversations/${conversationId}/read`)
      .set(bearer(token))
      .send({ upTo: replyId })
      .expect(200);

    expect(await settled(app, conversationId, replyId)).toEqual({
      status: 'cancelled',
      sentAt: null,
      reason: 'read',
    });
    expect(mailTo(smtp, customer)).toEqual([]);
  });

  it('makes one email of replies in a row, and sends at most one per conversation per hour', async () => {
    const customer = newCustomer();
    const conversationId = await chatStarted(app, await sessionOf(app, customer));
    const first = await staffReply(app, conversationId, 'First answer.');
    const second = await staffReply(app, conversationId, 'Second answer.');

    expect(await settled(app, conversationId, second)).toMatchObject({ status: 'sent' });
    expect(await settled(app, conversationId, first)).toMatchObject({ status: 'sent' });
    const [mail] = await until(async () => {
      const caught = mailTo(smtp, customer);
      return caught.length > 0 ? caught : undefined;
    });
    expect(mail!.message.text).toMatch(/First answer\.\n\nSecond answer\./);

    const third = await staffReply(app, conversationId, 'Third answer.');
    expect(await settled(app, conversationId, third)).toEqual({
      status: 'cancelled',
      sentAt: null,
      reason: 'recent-email',
    });
    expect(mailTo(smtp, customer)).toHaveLength(1);
  });

  it('never emails an anonymous visitor', async () => {
    const conversationId = await chatStarted(app, await sessionOf(app));
    await staffReply(app, conversationId, 'Hello visitor');
    expect((await staffMessages(app, conversationId)).map((m) => m.emailed)).toEqual([null, null]);
  });

  it('threads on an email conversation; the answer joins it without its quote and unanswered', async () => {
    const customer = newCustomer();
    const started = await postRaw(
      app,
      rawMail([
        `From: Ann Customer <${customer}>`,
        `To: ${MAILBOX}`,
        'Subject: Order 77 has not arrived',
        `Message-ID: <order-77@mail.example.org>`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Where is order 77?',
      ]),
    );
    const conversationId = started.body.conversationId as string;
    const [autoReply] = await until(async () => {
      const caught = mailTo(smtp, customer);
      return caught.length === 1 ? caught : undefined;
    });
    // A new email threads under the ones marked sent; an auto-reply's mark follows its delivery
    // within a moment (docs/outbox.md, "Marking a delivery sent").
    await until(async () => {
      const [first] = await staffMessages(app, conversationId);
      return first?.email?.autoReply === 'sent' ? true : undefined;
    });
    const replyId = await staffReply(app, conversationId, 'It ships tomorrow.');
    expect(await settled(app, conversationId, replyId)).toMatchObject({ status: 'sent' });
    const continuity = mailTo(smtp, customer)[1]!.message;
    expect(continuity.subject).toBe('Re: Order 77 has not arrived');
    expect(continuity.inReplyTo).toBe(autoReply!.message.messageId);
    expect(continuity.references).toEqual([
      '<order-77@mail.example.org>',
      autoReply!.message.messageId,
    ]);

    // Gmail's quote style: the answer above, "On … wrote:" and the quoted email below.
    const answer = await postRaw(
      app,
      rawMail([
        `From: Ann Customer <${customer}>`,
        `To: ${MAILBOX}`,
        'Subject: Re: Order 77 has not arrived',
        'Message-ID: <answer-77@mail.example.org>',
        `In-Reply-To: ${continuity.messageId}`,
        `References: <order-77@mail.example.org> ${continuity.messageId}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Great, thank you!',
        '',
        'On Mon, Nov 30, 2026 at 10:00 AM Example Support <support@example.com> wrote:',
        '> It ships tomorrow.',
      ]),
    );
    expect(answer.body).toEqual({
      conversationId,
      duplicate: false,
      autoReply: 'skipped',
      skipReason: 'not-first-message',
    });
    const messages = await staffMessages(app, conversationId);
    expect(messages.at(-1)).toMatchObject({ author: 'customer', body: 'Great, thank you!' });
    await quietPeriod();
    expect(mailTo(smtp, customer)).toHaveLength(2);
  });

  it('keeps an out-of-office answer as a note that staff see and the customer never does', async () => {
    const customer = newCustomer();
    const token = await sessionOf(app, customer);
    const conversationId = await chatStarted(app, token, 'Can I change my address?');
    const replyId = await staffReply(app, conversationId, 'Yes: which one?');
    expect(await settled(app, conversationId, replyId)).toMatchObject({ status: 'sent' });
    const continuity = mailTo(smtp, customer)[0]!.message;

    const base = await listen(app);
    const customerStream = new SseClient(`${base}/helper/events`, bearer(token));
    const staffStream = new SseClient(`${base}/helper/staff/events`, staff);
    await customerStream.waitFor((event) => event.type === 'ready');
    await staffStream.waitFor((event) => event.type === 'ready');

    await postRaw(
      app,
      rawMail([
        `From: Ann Customer <${customer}>`,
        `To: ${MAILBOX}`,
        'Subject: Automatic reply: Re: Your message',
        'Message-ID: <ooo-1@mail.example.org>',
        `In-Reply-To: ${continuity.messageId}`,
        'Auto-Submitted: auto-replied',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'I am out of the office until Monday.',
      ]),
    );
    const [note] = await staffStream.waitFor(
      (event) =>
        event.type === 'message' &&
        (event.data as { message: { author: string } }).message.author === 'note',
    );
    expect((note!.data as { message: { body: string } }).message.body).toContain(
      'out of the office',
    );
    expect((await staffMessages(app, conversationId)).at(-1)).toMatchObject({
      author: 'note',
      body: 'I am out of the office until Monday.',
    });

    // The customer: not in the messages, not as the list's last message, not on the stream.
    const mine = await request(app.getHttpServer())
      .get(`/helper/conversations/${conversationId}/messages`)
      .set(bearer(token))
      .expect(200);
    expect(mine.body.messages.map((m: { author: string }) => m.author)).toEqual([
      'customer',
      'staff',
    ]);
    const list = await request(app.getHttpServer())
      .get('/helper/conversations')
      .set(bearer(token))
      .expect(200);
    expect(list.body.conversations[0].lastMessage).toMatchObject({
      author: 'staff',
      preview: 'Yes: which one?',
    });
    // A later message of the customer's proves the stream has passed the note's place.
    await request(app.getHttpServer())
      .post(`/helper/conversations/${conversationId}/messages`)
      .set(bearer(token))
      .send({ body: 'The new one is 1 Main St', clientId: 'after-note' })
      .expect(201);
    await customerStream.waitFor(
      (event) =>
        event.type === 'message' &&
        (event.data as { message: { clientId: string } }).message.clientId === 'after-note',
    );
    expect(JSON.stringify(customerStream.events)).not.toContain('out of the office');
    customerStream.close();
    staffStream.close();
  });
});

describe('continuity by email, configured', () => {
  let smtp: SmtpCatcher;

  beforeAll(async () => {
    smtp = new SmtpCatcher(await freePort());
    await smtp.start();
  });
  afterAll(async () => {
    await smtp.stop();
  });

  it('queues nothing with continuity: false', async () => {
    const app = await continuityApp(smtp.port, { email: { continuity: false } });
    const conversationId = await chatStarted(app, await sessionOf(app, 'off@example.org'));
    await staffReply(app, conversationId, 'Hello');
    expect((await staffMessages(app, conversationId)).map((m) => m.emailed)).toEqual([null, null]);
    await app.close();
  });

  it("stays within the mailbox's hourly budget of automatic emails", async () => {
    const app = await continuityApp(smtp.port, { email: { maxAutoRepliesPerHour: 1 } });
    const first = await chatStarted(app, await sessionOf(app, 'budget-1@example.org'));
    const second = await chatStarted(app, await sessionOf(app, 'budget-2@example.org'));
    const firstReply = await staffReply(app, first, 'One');
    expect(await settled(app, first, firstReply)).toMatchObject({ status: 'sent' });
    const secondReply = await staffReply(app, second, 'Two');
    expect(await settled(app, second, secondReply)).toMatchObject({
      status: 'cancelled',
      reason: 'reply-budget',
    });
    expect(mailTo(smtp, 'budget-2@example.org')).toEqual([]);
    await app.close();
  });

  it('sends a reply queued before a restart once, from the new instance', async () => {
    const database = await testDatabase();
    const before = await continuityApp(smtp.port, {
      database,
      email: { unseenReplyDelayMs: 2000 },
    });
    const conversationId = await chatStarted(
      before,
      await sessionOf(before, 'restart@example.org'),
    );
    await staffReply(before, conversationId, 'Sent after the restart');
    await before.close();

    const after = await continuityApp(smtp.port, { database });
    await until(async () => (mailTo(smtp, 'restart@example.org').length > 0 ? true : undefined));
    await quietPeriod();
    expect(mailTo(smtp, 'restart@example.org')).toHaveLength(1);
    await after.close();
  });

  it('sends it once with two instances on one database', async () => {
    const database = await testDatabase();
    // One after the other: both then poll the same outbox.
    const a = await continuityApp(smtp.port, { database });
    const b = await continuityApp(smtp.port, { database });
    const conversationId = await chatStarted(a, await sessionOf(a, 'twice@example.org'));
    const replyId = await staffReply(b, conversationId, 'Only once');
    expect(await settled(a, conversationId, replyId)).toMatchObject({ status: 'sent' });
    await quietPeriod();
    expect(mailTo(smtp, 'twice@example.org')).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });
});
