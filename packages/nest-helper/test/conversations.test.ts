import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import { PING_INTERVAL_MS } from '../src/chat/stream-heartbeat.js';
import { createApp, listen } from './support/app.js';
import { ADMIN_TOKEN, SECRET } from './support/secrets.js';
import { SseClient } from './support/sse.js';

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('conversations', () => {
  let app: INestApplication;
  let server: ReturnType<INestApplication['getHttpServer']>;
  let base: string;
  let emailCounter = 0;

  /** A fresh widget session: identified (with metadata) or anonymous. */
  const sessionFor = async (
    email?: string,
    customerMetadata?: Record<string, unknown>,
  ): Promise<string> => {
    const signed = email ? signIdentity({ email, metadata: customerMetadata }, SECRET) : null;
    const body = signed
      ? { ...signed, metadata: undefined, customerMetadata: signed.metadata }
      : {};
    const response = await request(server).post('/helper/widget/session').send(body).expect(200);
    return response.body.token as string;
  };
  const newCustomer = () => sessionFor(`customer-${++emailCounter}@example.com`);
  const start = (token: string, body: object) =>
    request(server).post('/helper/conversations').set(bearer(token)).send(body);
  const post = (token: string, id: string, body: object) =>
    request(server).post(`/helper/conversations/${id}/messages`).set(bearer(token)).send(body);
  const read = (token: string, id: string, query = '') =>
    request(server).get(`/helper/conversations/${id}/messages${query}`).set(bearer(token));

  beforeAll(async () => {
    // One app, one client IP, hundreds of sessions and conversations: the per-IP limits are
    // raised here; every limit is tested in limits.test.ts.
    app = await createApp({
      limits: {
        sessionsPerIpPerHour: 10_000,
        conversationsPerIpPerHour: 10_000,
        messagesPerMinute: 10_000,
      },
    });
    server = app.getHttpServer();
    base = await listen(app);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('a customer', () => {
    it('starts a conversation, and a retry with the same clientId stores nothing new', async () => {
      const token = await newCustomer();
      const first = await start(token, {
        body: '  Where is my order?\r\nIt is late. ',
        clientId: 'start-1',
      }).expect(201);
      expect(first.body.conversation).toMatchObject({
        id: expect.stringMatching(/^c_/),
        status: 'open',
        origin: 'chat',
      });
      expect(first.body.message).toMatchObject({
        author: 'customer',
        body: 'Where is my order?\nIt is late.',
      });
      const retry = await start(token, { body: 'Where is my order?', clientId: 'start-1' }).expect(
        200,
      );
      expect(retry.body.conversation.id).toBe(first.body.conversation.id);
      expect(retry.body.message.id).toBe(first.body.message.id);
      const list = await request(server)
        .get('/helper/conversations')
        .set(bearer(token))
        .expect(200);
      expect(list.body.conversations).toHaveLength(1);
      expect(list.body.conversations[0].lastMessage).toMatchObject({
        author: 'customer',
        preview: 'Where is my order?\nIt is late.',
      });
    });

    it('posts messages idempotently on clientId and reads them in pages', async () => {
      const token = await newCustomer();
      const { body } = await start(token, { body: 'Hello' }).expect(201);
      const id = body.conversation.id as string;
      for (let i = 1; i <= 5; i++)
        await post(token, id, { body: `Message ${i}`, clientId: `m-${i}` }).expect(201);
      const again = await post(token, id, { body: 'Message 3', clientId: 'm-3' }).expect(200);
      expect(again.body.message.body).toBe('Message 3');
      const latest = await read(token, id, '?limit=4').expect(200);
      expect(latest.body.messages.map((m: { body: string }) => m.body)).toEqual([
        'Message 2',
        'Message 3',
        'Message 4',
        'Message 5',
      ]);
      const older = await read(token, id, `?limit=4&before=${latest.body.nextBefore}`).expect(200);
      expect(older.body.messages.map((m: { body: string }) => m.body)).toEqual([
        'Hello',
        'Message 1',
      ]);
      expect(older.body.nextBefore).toBeNull();
    });

    it.each<[string, object, string[]]>([
      ['an empty body', { body: '', clientId: 'x1' }, ['body:too_short']],
      ['a blank body', { body: ' \n ', clientId: 'x2' }, ['body:too_short']],
      [
        'a body of 10,001 characters',
        { body: 'x'.repeat(10_001), clientId: 'x3' },
        ['body:too_long'],
      ],
      ['a missing clientId', { body: 'hi' }, ['clientId:required']],
      ['a bad clientId', { body: 'hi', clientId: 'no spaces' }, ['clientId:invalid_choice']],
      ['a missing body', { clientId: 'x4' }, ['body:required']],
      [
        'an unknown field',
        { body: 'hi', clientId: 'x5', author: 'staff' },
        ['author:unknown_field'],
      ],
    ])('refuses %s, field by field, and stores nothing', async (_label, message, fields) => {
      const token = await newCustomer();
      const { body } = await start(token, { body: 'First' }).expect(201);
      const response = await post(token, body.conversation.id, message);
      expect(response.status).toBe(400);
      expect(
        response.body.fields.map((f: { field: string; code: string }) => `${f.field}:${f.code}`),
      ).toEqual(fields);
      const messages = await read(token, body.conversation.id).expect(200);
      expect(messages.body.messages).toHaveLength(1);
    });

    it('accepts a body of exactly 10,000 characters', async () => {
      const token = await newCustomer();
      await start(token, { body: 'y'.repeat(10_000) }).expect(201);
    });

    it('refuses page sizes over the cap and bad cursors', async () => {
      const token = await newCustomer();
      const { body } = await start(token, { body: 'First' }).expect(201);
      expect((await read(token, body.conversation.id, '?limit=101')).status).toBe(400);
      expect((await read(token, body.conversation.id, '?before=abc')).status).toBe(400);
      expect(
        (await request(server).get('/helper/conversations?limit=0').set(bearer(token))).status,
      ).toBe(400);
    });

    it('needs a session token', async () => {
      const response = await request(server).get('/helper/conversations');
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('session_required');
    });
  });

  describe('isolation', () => {
    it('no customer ever reads or writes another customer’s conversation', async () => {
      const command = fc.record({
        actor: fc.nat({ max: 5 }),
        target: fc.nat({ max: 20 }),
        kind: fc.constantFrom('start', 'post', 'read', 'list'),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 25 }), async (commands) => {
          // Three identified customers with similar addresses, and three anonymous visitors.
          const tokens = await Promise.all([
            sessionFor(`iso-${++emailCounter}@example.com`),
            sessionFor(`iso-${emailCounter}@example.com.evil`),
            sessionFor(`iso-${emailCounter}@example.net`),
            sessionFor(),
            sessionFor(),
            sessionFor(),
          ]);
          const owned: Array<{ owner: number; id: string }> = [];
          let sequence = 0;
          for (const { actor, target, kind } of commands) {
            const token = tokens[actor]!;
            const conversation = owned.length > 0 ? owned[target % owned.length]! : undefined;
            if (kind === 'start' || !conversation) {
              const { body } = await start(token, { body: `from ${actor}` }).expect(201);
              owned.push({ owner: actor, id: body.conversation.id });
            } else if (kind === 'post') {
              const response = await post(token, conversation.id, {
                body: 'hello',
                clientId: `iso-${++sequence}`,
              });
              expect(response.status).toBe(conversation.owner === actor ? 201 : 404);
            } else if (kind === 'read') {
              const response = await read(token, conversation.id);
              expect(response.status).toBe(conversation.owner === actor ? 200 : 404);
              if (response.status === 404)
                expect(response.body).toEqual({
                  statusCode: 404,
                  code: 'not_found',
                  message: expect.any(String),
                });
            } else {
              const response = await request(server)
                .get('/helper/conversations?limit=100')
                .set(bearer(token))
                .expect(200);
              const mine = owned
                .filter((c) => c.owner === actor)
                .map((c) => c.id)
                .sort();
              expect(response.body.conversations.map((c: { id: string }) => c.id).sort()).toEqual(
                mine,
              );
            }
          }
        }),
        { numRuns: 12 },
      );
    });

    it('treats addresses that differ only in case as the same customer', async () => {
      const lower = await sessionFor('case.test@example.com');
      const upper = await sessionFor('Case.Test@Example.com');
      const { body } = await start(lower, { body: 'Mine' }).expect(201);
      await read(upper, body.conversation.id).expect(200);
    });

    it('answers 404 for an id that is not a conversation id at all', async () => {
      const token = await newCustomer();
      expect((await read(token, '42')).status).toBe(404);
      expect((await read(token, 'c_' + 'A'.repeat(24))).status).toBe(404);
    });
  });

  describe('staff', () => {
    it('lists open conversations first, newest activity first, with customer metadata', async () => {
      const rich = await sessionFor('vip@example.com', {
        name: 'Vera Vip',
        value: 9000,
        links: { CRM: 'https://crm.example.com/vera' },
      });
      const anonymous = await sessionFor();
      const older = (await start(rich, { body: 'Older question' }).expect(201)).body.conversation
        .id;
      const closed = (await start(anonymous, { body: 'Closed question' }).expect(201)).body
        .conversation.id;
      const newer = (await start(anonymous, { body: 'Newer question' }).expect(201)).body
        .conversation.id;
      await request(server)
        .patch(`/helper/staff/conversations/${closed}`)
        .set(staff)
        .send({ status: 'closed' })
        .expect(200);
      await post(rich, older, { body: 'Bump', clientId: 'bump-1' }).expect(201);

      const open = await request(server)
        .get('/helper/staff/conversations?status=open&limit=100')
        .set(staff)
        .expect(200);
      const ids = open.body.conversations.map((c: { id: string }) => c.id);
      expect(ids.indexOf(older)).toBeGreaterThanOrEqual(0);
      expect(ids.indexOf(older)).toBeLessThan(ids.indexOf(newer));
      const vera = open.body.conversations.find((c: { id: string }) => c.id === older);
      expect(vera.customer).toEqual({
        email: 'vip@example.com',
        name: 'Vera Vip',
        value: 9000,
        links: { CRM: 'https://crm.example.com/vera' },
        context: null,
      });
      expect(
        open.body.conversations.find((c: { id: string }) => c.id === newer).customer,
      ).toBeNull();
      // Unfiltered: every open conversation comes before every closed one.
      const all = await request(server)
        .get('/helper/staff/conversations?limit=100')
        .set(staff)
        .expect(200);
      const statuses: string[] = all.body.conversations.map((c: { status: string }) => c.status);
      const firstClosed = statuses.indexOf('closed');
      expect(firstClosed === -1 || !statuses.slice(firstClosed).includes('open')).toBe(true);
      const closedOnly = await request(server)
        .get('/helper/staff/conversations?status=closed')
        .set(staff)
        .expect(200);
      expect(closedOnly.body.conversations.map((c: { id: string }) => c.id)).toContain(closed);
      expect(
        closedOnly.body.conversations.every((c: { status: string }) => c.status === 'closed'),
      ).toBe(true);
    });

    it('replies, closes and reopens; a customer writing again reopens too', async () => {
      const token = await newCustomer();
      const id = (await start(token, { body: 'Help' }).expect(201)).body.conversation.id;
      await request(server)
        .post(`/helper/staff/conversations/${id}/messages`)
        .set(staff)
        .send({ body: 'On it!' })
        .expect(201);
      const messages = await read(token, id).expect(200);
      expect(
        messages.body.messages.map((m: { author: string; body: string }) => [m.author, m.body]),
      ).toEqual([
        ['customer', 'Help'],
        ['staff', 'On it!'],
      ]);
      const closing = await request(server)
        .patch(`/helper/staff/conversations/${id}`)
        .set(staff)
        .send({ status: 'closed' })
        .expect(200);
      expect(closing.body.conversation).toMatchObject({ id, status: 'closed' });
      await post(token, id, { body: 'One more thing', clientId: 'reopen' }).expect(201);
      const list = await request(server)
        .get('/helper/conversations')
        .set(bearer(token))
        .expect(200);
      expect(list.body.conversations[0].status).toBe('open');
      const bad = await request(server)
        .patch(`/helper/staff/conversations/${id}`)
        .set(staff)
        .send({ status: 'archived' });
      expect(bad.status).toBe(400);
    });

    it('is closed to anyone the admin guard refuses, and 404 for unknown conversations', async () => {
      expect((await request(server).get('/helper/staff/conversations')).status).toBe(401);
      expect(
        (
          await request(server)
            .get('/helper/staff/conversations')
            .set({ Authorization: 'Bearer wrong' })
        ).status,
      ).toBe(403);
      const unknown = await request(server)
        .post(`/helper/staff/conversations/c_${'B'.repeat(24)}/messages`)
        .set(staff)
        .send({ body: 'x' });
      expect(unknown.status).toBe(404);
    });
  });

  describe('live updates', () => {
    it('a staff reply reaches the customer’s stream, and the customer’s message reaches staff', async () => {
      const token = await newCustomer();
      const id = (await start(token, { body: 'Live?' }).expect(201)).body.conversation.id;
      const customerStream = new SseClient(`${base}/helper/events?token=${token}`);
      const staffStream = new SseClient(`${base}/helper/staff/events`, staff);
      await customerStream.waitFor((e) => e.type === 'ready');
      await staffStream.waitFor((e) => e.type === 'ready');

      await request(server)
        .post(`/helper/staff/conversations/${id}/messages`)
        .set(staff)
        .send({ body: 'Yes, live.' })
        .expect(201);
      const [reply] = await customerStream.waitFor((e) => e.type === 'message');
      expect(reply!.data).toMatchObject({
        conversation: { id },
        message: { author: 'staff', body: 'Yes, live.' },
      });

      await post(token, id, { body: 'Great', clientId: 'live-1' }).expect(201);
      await staffStream.waitFor(
        (e) =>
          e.type === 'message' &&
          (e.data as { message: { body: string } }).message.body === 'Great',
      );
      customerStream.close();
      staffStream.close();
    });

    it('hands a retried message to the streams once, with the id its post answered', async () => {
      const token = await newCustomer();
      const id = (await start(token, { body: 'Retry?' }).expect(201)).body.conversation.id;
      const staffStream = new SseClient(`${base}/helper/staff/events`, staff);
      await staffStream.waitFor((e) => e.type === 'ready');
      const reply = () =>
        request(server)
          .post(`/helper/staff/conversations/${id}/messages`)
          .set(staff)
          .send({ body: 'Reply', clientId: 'retry-reply' });

      const first = await post(token, id, { body: 'Once', clientId: 'retry-1' }).expect(201);
      const again = await post(token, id, { body: 'Once', clientId: 'retry-1' }).expect(200);
      const replied = await reply().expect(201);
      await reply().expect(200);
      const last = await post(token, id, { body: 'After', clientId: 'retry-2' }).expect(201);

      const events = await staffStream.waitFor((e) => e.type === 'message', 3);
      const messages = events.map(
        (e) => (e.data as { message: { id: number; body: string } }).message,
      );
      expect(messages).toEqual([
        expect.objectContaining({ id: first.body.message.id, body: 'Once' }),
        expect.objectContaining({ id: replied.body.message.id, body: 'Reply' }),
        expect.objectContaining({ id: last.body.message.id, body: 'After' }),
      ]);
      expect(again.body.message.id).toBe(first.body.message.id);
      // Each event carries the message as its post answered it, in the conversation as it is now.
      expect(events.map((e) => (e.data as { message: object }).message)).toEqual(
        [first, replied, last].map((answer) => answer.body.message),
      );
      const listed = await request(server).get('/helper/staff/conversations').set(staff);
      const now = listed.body.conversations.find((c: { id: string }) => c.id === id);
      expect(events.at(-1)!.data).toMatchObject({
        conversation: { id, status: now.status, lastActivityAt: now.lastActivityAt },
      });
      staffStream.close();
    });

    it('never sends a customer another customer’s events', async () => {
      const mine = await newCustomer();
      const theirs = await newCustomer();
      const stream = new SseClient(`${base}/helper/events`, bearer(mine));
      await stream.waitFor((e) => e.type === 'ready');
      const their = (await start(theirs, { body: 'Private' }).expect(201)).body.conversation.id;
      await request(server)
        .post(`/helper/staff/conversations/${their}/messages`)
        .set(staff)
        .send({ body: 'Private reply' })
        .expect(201);
      await start(mine, { body: 'Mine' }).expect(201);
      const events = await stream.waitFor((e) => e.type === 'message');
      expect(events).toHaveLength(1);
      expect(JSON.stringify(stream.events)).not.toContain('Private');
      stream.close();
    });

    it('keeps an idle stream alive with a heartbeat', async () => {
      const token = await newCustomer();
      // Only the intervals are simulated (the heartbeat is one): the HTTP stream stays real.
      jest.useFakeTimers({
        doNotFake: [
          'Date',
          'hrtime',
          'nextTick',
          'performance',
          'queueMicrotask',
          'setImmediate',
          'clearImmediate',
          'setTimeout',
          'clearTimeout',
        ],
      });
      try {
        const stream = new SseClient(`${base}/helper/events`, bearer(token));
        await stream.waitFor((e) => e.type === 'ready');
        expect(stream.pings).toBe(0);
        jest.advanceTimersByTime(PING_INTERVAL_MS);
        await stream.waitForPings(1);
        stream.close();
      } finally {
        jest.useRealTimers();
      }
    });

    it('resumes a dropped stream with Last-Event-ID: everything missed, nothing twice', async () => {
      const token = await newCustomer();
      const id = (await start(token, { body: 'Resume test' }).expect(201)).body.conversation.id;
      const first = new SseClient(`${base}/helper/events`, bearer(token));
      await first.waitFor((e) => e.type === 'ready');
      const reply = (body: string) =>
        request(server)
          .post(`/helper/staff/conversations/${id}/messages`)
          .set(staff)
          .send({ body })
          .expect(201);
      await reply('one');
      await reply('two');
      const received = await first.waitFor((e) => e.type === 'message', 2);
      first.close(); // the connection drops here
      await reply('three');
      await reply('four');

      const resumed = new SseClient(`${base}/helper/events`, {
        ...bearer(token),
        'Last-Event-ID': received[1]!.id!,
      });
      const missed = await resumed.waitFor((e) => e.type === 'message', 2);
      await reply('five');
      const all = await resumed.waitFor((e) => e.type === 'message', 3);
      const bodies = all.map((e) => (e.data as { message: { body: string } }).message.body);
      expect(bodies).toEqual(['three', 'four', 'five']);
      expect(missed.map((e) => Number(e.id))).toEqual(
        [...missed.map((e) => Number(e.id))].sort((a, b) => a - b),
      );
      expect(new Set(all.map((e) => e.id)).size).toBe(3);
      resumed.close();
    });

    it('refuses a malformed Last-Event-ID', async () => {
      const token = await newCustomer();
      const response = await request(server)
        .get('/helper/events')
        .set({ ...bearer(token), 'Last-Event-ID': 'abc' });
      expect(response.status).toBe(400);
    });
  });
});
