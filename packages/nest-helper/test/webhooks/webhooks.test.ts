import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Controller, Injectable, Post, type INestApplication } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import {
  ConversationsService,
  InjectTransactions,
  type AnyHelperEvent,
  type HelperEvent,
  type HelperTransactions,
} from '../../src/index.js';
import { testDatabase } from '../support/app.js';
import { capturedResponses } from '../support/capture.js';
import { ADMIN_TOKEN, SECRET } from '../support/secrets.js';
import { startWebhookApp, webhookEntries } from '../support/webhook-app.js';
import { WebhookReceiver, newWebhookSecret } from '../support/webhook-receiver.js';
import { INBOUND_SECRET, MAILBOX } from '../email/support.js';

jest.setTimeout(30_000);

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The host's listener: every event it hears, and whether its change was visible (committed). */
@Injectable()
class EventRecorder {
  readonly heard: AnyHelperEvent[] = [];
  readonly committed: Array<Promise<boolean>> = [];

  constructor(private readonly conversations: ConversationsService) {}

  @OnEvent('helper.conversation.created')
  @OnEvent('helper.message.created')
  @OnEvent('helper.conversation.closed')
  @OnEvent('helper.email.received')
  @OnEvent('helper.rating.created')
  hear(event: AnyHelperEvent): void {
    this.heard.push(event);
    // Read outside any transaction: on PostgreSQL another connection sees only committed rows.
    this.committed.push(
      this.conversations
        .listForStaff(event.data.conversation.mailbox, undefined, { offset: 0, limit: 100 })
        .then((list) => list.some(({ id }) => id === event.data.conversation.id)),
    );
  }
}

/** A host route that starts a conversation in its own transaction, then fails: all rolled back. */
@Controller('host')
class FailingHostController {
  constructor(
    private readonly conversations: ConversationsService,
    @InjectTransactions() private readonly transactions: HelperTransactions,
  ) {}

  @Post('start-then-fail')
  async startThenFail(): Promise<void> {
    await this.transactions.run(async () => {
      await this.conversations.startConversation({
        mailbox: 'default',
        owner: 'email:rolled-back@example.com',
        customerEmail: 'rolled-back@example.com',
        subject: 'Never stored',
        origin: 'chat',
        clientId: null,
        firstMessage: { author: 'customer', body: 'Never stored', origin: 'chat', clientId: null },
      });
      throw new Error('the next step of the host failed');
    });
  }
}

/** A widget session of an identified customer. */
async function customerToken(app: INestApplication, email: string): Promise<string> {
  const signed = signIdentity({ email }, SECRET);
  const response = await request(app.getHttpServer())
    .post('/helper/widget/session')
    .send({ ...signed, metadata: undefined })
    .expect(200);
  return response.body.token as string;
}

async function startConversation(app: INestApplication, email: string, body: string) {
  const token = await customerToken(app, email);
  const response = await request(app.getHttpServer())
    .post('/helper/conversations')
    .set(bearer(token))
    .send({ body })
    .expect(201);
  return { id: response.body.conversation.id as string, token };
}

const inboundEmail = (id: string, from: string) =>
  Buffer.from(
    `From: ${from}\r\nTo: ${MAILBOX}\r\nSubject: Invoice ${id}\r\nMessage-ID: <${id}@example.org>\r\n\r\nWhere is my invoice?\r\n`,
  );

describe('webhooks and Nest events', () => {
  const receivers: WebhookReceiver[] = [];
  const apps: INestApplication[] = [];
  const receiver = async () => {
    const started = await new WebhookReceiver().start();
    receivers.push(started);
    return started;
  };
  const start = async (options: Parameters<typeof startWebhookApp>[0]) => {
    const app = await startWebhookApp(options);
    apps.push(app);
    return app;
  };
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await Promise.all(receivers.splice(0).map((started) => started.stop()));
  });

  describe('every event, as a webhook and as a Nest event', () => {
    const secret = newWebhookSecret();
    let hooks: WebhookReceiver;
    let app: INestApplication;
    let recorder: EventRecorder;
    let chatId: string;

    beforeAll(async () => {
      hooks = await new WebhookReceiver().start();
      app = await startWebhookApp({
        webhooks: [{ url: hooks.url, secret }],
        database: await testDatabase(),
        email: true,
        imports: [EventEmitterModule.forRoot()],
        providers: [EventRecorder],
      });
      recorder = app.get(EventRecorder);
      const started = await startConversation(app, 'ada@example.com', 'Where is my order?');
      chatId = started.id;
      await request(app.getHttpServer())
        .post(`/helper/staff/conversations/${chatId}/messages`)
        .set(staff)
        .send({ body: 'It left today.' })
        .expect(201);
      await request(app.getHttpServer())
        .patch(`/helper/staff/conversations/${chatId}`)
        .set(staff)
        .send({ status: 'closed' })
        .expect(200);
      await request(app.getHttpServer())
        .post(`/helper/conversations/${chatId}/rating`)
        .set(bearer(started.token))
        .send({ rating: 'good', comment: 'Quick answer, thanks.' })
        .expect(201);
      await request(app.getHttpServer())
        .post('/helper/email/inbound')
        .set('Authorization', `Bearer ${INBOUND_SECRET}`)
        .set('Content-Type', 'message/rfc822')
        .send(inboundEmail('invoice-1', 'grace@example.org'))
        .expect(200);
      await hooks.waitFor(8);
    });
    afterAll(async () => {
      await app.close();
      await hooks.stop();
    });

    it('delivers each, in order, verified by the standardwebhooks package', () => {
      const events = hooks.verified<AnyHelperEvent>(secret);
      expect(events.map((event) => event.type)).toEqual([
        'helper.conversation.created',
        'helper.message.created',
        'helper.message.created',
        'helper.conversation.closed',
        'helper.rating.created',
        'helper.conversation.created',
        'helper.message.created',
        'helper.email.received',
      ]);
      expect(hooks.received).toHaveLength(8);
    });

    it('sends the headers of Standard Webhooks, one id per event', () => {
      for (const { headers } of hooks.received) {
        expect(headers['content-type']).toBe('application/json');
        expect(headers['webhook-id']).toMatch(/^msg_[\w-]{20,}$/);
        expect(Number(headers['webhook-timestamp'])).toBeGreaterThan(Date.now() / 1000 - 60);
        expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
      }
      expect(new Set(hooks.received.map(({ headers }) => headers['webhook-id'])).size).toBe(8);
    });

    it('carries the staff views of what was stored', async () => {
      const [created, first, reply, closed, rating, , , email] = hooks.verified(secret) as [
        HelperEvent<'helper.conversation.created'>,
        HelperEvent<'helper.message.created'>,
        HelperEvent<'helper.message.created'>,
        HelperEvent<'helper.conversation.closed'>,
        HelperEvent<'helper.rating.created'>,
        unknown,
        unknown,
        HelperEvent<'helper.email.received'>,
      ];
      expect(created.data.conversation).toMatchObject({
        id: chatId,
        mailbox: 'default',
        customerEmail: 'ada@example.com',
        senderVerified: true,
        origin: 'chat',
      });
      expect(created.data.message).toMatchObject({
        author: 'customer',
        body: 'Where is my order?',
      });
      expect(first.data.message).toEqual(created.data.message);
      expect(reply.data.message).toMatchObject({ author: 'staff', body: 'It left today.' });
      expect(closed.data.conversation).toMatchObject({ id: chatId, status: 'closed' });
      expect(rating.data).toMatchObject({
        conversation: { id: chatId },
        rating: { rating: 'good', comment: 'Quick answer, thanks.' },
      });
      expect(email.data).toMatchObject({
        conversation: { customerEmail: 'grace@example.org', origin: 'email' },
        message: {
          author: 'customer',
          body: 'Where is my invoice?',
          email: { autoReply: 'skipped', skipReason: 'feature-off' },
        },
        emailMessageId: expect.stringContaining('invoice-1@example.org'),
      });
      // The same fields as the staff API answers for that message, but its files: their links
      // are signed for one reader and expire long before a webhook's last retry.
      const page = await request(app.getHttpServer())
        .get(`/helper/staff/conversations/${email.data.conversation.id}/messages`)
        .set(staff)
        .expect(200);
      const { attachments, refusedAttachments, ...fields } = page.body.messages[0];
      expect({ attachments, refusedAttachments }).toEqual({
        attachments: [],
        refusedAttachments: [],
      });
      expect(fields).toEqual(email.data.message);
      expect(email.data.message).not.toHaveProperty('attachments');
    });

    it('emits each as a Nest event once, after its change was committed', async () => {
      expect(recorder.heard).toEqual(hooks.verified(secret));
      expect(await Promise.all(recorder.committed)).toEqual(recorder.heard.map(() => true));
    });

    it('never answers the webhook secret to anyone', () => {
      const key = secret.slice('whsec_'.length);
      const leaks = capturedResponses.filter(
        ({ body, headers }) => body.includes(key) || headers.includes(key),
      );
      expect(leaks).toEqual([]);
    });
  });

  it('retries a refused webhook with the same webhook-id until it is accepted', async () => {
    const hooks = await receiver();
    hooks.answerWith(500, 500);
    const app = await start({
      webhooks: [
        { url: hooks.url, secret: newWebhookSecret(), events: ['helper.conversation.created'] },
      ],
      database: await testDatabase(),
    });
    await startConversation(app, 'retry@example.com', 'First');
    await hooks.waitFor(3);
    // A later event comes after the first was delivered: the outbox takes entries in order.
    await startConversation(app, 'later@example.com', 'Second');
    const received = await hooks.waitFor(4);
    const ids = received.map(({ headers }) => headers['webhook-id']);
    expect(ids.slice(0, 3)).toEqual([ids[0], ids[0], ids[0]]);
    expect(ids[3]).not.toBe(ids[0]);
    expect(received.map(({ status }) => status)).toEqual([500, 500, 200, 200]);
    expect(received[0]!.body).toBe(received[2]!.body);
    const [first] = await webhookEntries(app);
    expect(first).toMatchObject({ status: 'sent', attempts: 3 });
    expect(first!.last_error).toBe(`webhook ${hooks.url} answered 500`);
  });

  it('sends each endpoint only the events it asked for', async () => {
    const [closedOnly, all] = [await receiver(), await receiver()];
    const app = await start({
      webhooks: [
        { url: closedOnly.url, secret: newWebhookSecret(), events: ['helper.conversation.closed'] },
        { url: all.url, secret: newWebhookSecret() },
      ],
      database: await testDatabase(),
    });
    const { id } = await startConversation(app, 'filter@example.com', 'Hello');
    await request(app.getHttpServer())
      .patch(`/helper/staff/conversations/${id}`)
      .set(staff)
      .send({ status: 'closed' })
      .expect(200);
    await all.waitFor(3);
    await closedOnly.waitFor(1);
    const types = (hooks: WebhookReceiver) =>
      hooks.received.map(({ body }) => (JSON.parse(body) as AnyHelperEvent).type);
    expect(types(closedOnly)).toEqual(['helper.conversation.closed']);
    expect(types(all)).toEqual([
      'helper.conversation.created',
      'helper.message.created',
      'helper.conversation.closed',
    ]);
    // Only the subscribed endpoint's entry was ever queued for the close.
    expect(await webhookEntries(app)).toHaveLength(4);
  });

  it('announces nothing for a change that was rolled back', async () => {
    const hooks = await receiver();
    const app = await start({
      webhooks: [{ url: hooks.url, secret: newWebhookSecret() }],
      database: await testDatabase(),
      imports: [EventEmitterModule.forRoot()],
      providers: [EventRecorder],
      controllers: [FailingHostController],
    });
    await request(app.getHttpServer()).post('/host/start-then-fail').expect(500);
    const { id } = await startConversation(app, 'after@example.com', 'After the failure');
    // Entries are delivered in order: had the failed change queued any, they would come first.
    await hooks.waitFor(2);
    const events = hooks.received.map(({ body }) => JSON.parse(body) as AnyHelperEvent);
    expect(events.map((event) => event.data.conversation.id)).toEqual([id, id]);
    expect(app.get(EventRecorder).heard.map((event) => event.data.conversation.id)).toEqual([
      id,
      id,
    ]);
  });

  it('announces a chat message no webhook takes to the host once it is committed', async () => {
    const hooks = await receiver();
    const app = await start({
      webhooks: [
        { url: hooks.url, secret: newWebhookSecret(), events: ['helper.conversation.closed'] },
      ],
      database: await testDatabase(),
      imports: [EventEmitterModule.forRoot()],
      providers: [EventRecorder],
    });
    const { id, token } = await startConversation(app, 'listened@example.com', 'First');
    await request(app.getHttpServer())
      .post(`/helper/staff/conversations/${id}/messages`)
      .set(staff)
      .send({ body: 'A reply' })
      .expect(201);
    await request(app.getHttpServer())
      .post(`/helper/conversations/${id}/messages`)
      .set(bearer(token))
      .send({ body: 'Thanks', clientId: 'thanks-1' })
      .expect(201);

    const recorder = app.get(EventRecorder);
    const messages = recorder.heard.filter((event) => event.type === 'helper.message.created');
    expect(messages.map((event) => event.data.message.body)).toEqual([
      'First',
      'A reply',
      'Thanks',
    ]);
    expect(await Promise.all(recorder.committed)).toEqual(recorder.heard.map(() => true));
    expect(await webhookEntries(app)).toHaveLength(0);
  });

  it('works for a host that has no EventEmitterModule', async () => {
    const hooks = await receiver();
    const secret = newWebhookSecret();
    const app = await start({
      webhooks: [{ url: hooks.url, secret, events: ['helper.message.created'] }],
      database: await testDatabase(),
    });
    await startConversation(app, 'plain@example.com', 'No emitter here');
    await hooks.waitFor(1);
    expect(hooks.verified<AnyHelperEvent>(secret)[0]).toMatchObject({
      type: 'helper.message.created',
      data: { message: { body: 'No emitter here' } },
    });
  });
});
