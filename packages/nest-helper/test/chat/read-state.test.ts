import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import { createApp, listen } from '../support/app.js';
import { ADMIN_TOKEN, SECRET } from '../support/secrets.js';
import { SseClient, type ReceivedEvent } from '../support/sse.js';

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

interface Summary {
  id: string;
  unreadCount: number;
  customerLastReadId?: number | null;
  rating?: { rating: string; comment: string | null } | null;
}

describe('read state, typing and rating', () => {
  let app: INestApplication;
  let server: ReturnType<INestApplication['getHttpServer']>;
  let base: string;
  let customers = 0;

  const newCustomer = async (): Promise<string> => {
    const identity = signIdentity({ email: `reader-${++customers}@example.com` }, SECRET);
    const response = await request(server).post('/helper/widget/session').send(identity);
    return response.body.token as string;
  };
  const start = async (token: string, body = 'Hello') => {
    const response = await request(server)
      .post('/helper/conversations')
      .set(bearer(token))
      .send({ body })
      .expect(201);
    return {
      id: response.body.conversation.id as string,
      first: response.body.message.id as number,
    };
  };
  const reply = async (id: string, body: string): Promise<number> =>
    (
      await request(server)
        .post(`/helper/staff/conversations/${id}/messages`)
        .set(staff)
        .send({ body })
        .expect(201)
    ).body.message.id;
  const write = async (token: string, id: string, body: string): Promise<number> =>
    (
      await request(server)
        .post(`/helper/conversations/${id}/messages`)
        .set(bearer(token))
        .send({ body, clientId: body.replace(/\W/g, '-') })
        .expect(201)
    ).body.message.id;
  const customerRead = (token: string, id: string, body: object) =>
    request(server).post(`/helper/conversations/${id}/read`).set(bearer(token)).send(body);
  const staffRead = (id: string, body: object) =>
    request(server).post(`/helper/staff/conversations/${id}/read`).set(staff).send(body);
  /** The customer's list as a reloaded widget asks for it. */
  const customerView = async (token: string, id: string): Promise<Summary> => {
    const list = await request(server).get('/helper/conversations').set(bearer(token)).expect(200);
    return (list.body.conversations as Summary[]).find((c) => c.id === id)!;
  };
  const staffView = async (id: string): Promise<Summary> => {
    const list = await request(server)
      .get('/helper/staff/conversations?limit=100')
      .set(staff)
      .expect(200);
    return (list.body.conversations as Summary[]).find((c) => c.id === id)!;
  };
  const close = (id: string) =>
    request(server)
      .patch(`/helper/staff/conversations/${id}`)
      .set(staff)
      .send({ status: 'closed' })
      .expect(200);
  const streams: SseClient[] = [];
  const openStream = async (path: string, headers: Record<string, string>) => {
    const stream = new SseClient(`${base}/helper/${path}`, headers);
    streams.push(stream);
    await stream.waitFor((e) => e.type === 'ready');
    return stream;
  };
  const of = (type: string, id: string) => (e: ReceivedEvent) =>
    e.type === type &&
    ((e.data as { conversation?: { id: string } }).conversation?.id === id ||
      (e.data as { conversationId?: string }).conversationId === id);

  beforeAll(async () => {
    app = await createApp();
    server = app.getHttpServer();
    base = await listen(app);
  });
  afterAll(async () => {
    streams.forEach((stream) => stream.close());
    await app.close();
  });

  describe('read state', () => {
    it('counts unread messages per side, and the counts hold for a new list request', async () => {
      const token = await newCustomer();
      const { id, first } = await start(token);
      expect(await customerView(token, id)).toMatchObject({ unreadCount: 0 });
      expect(await staffView(id)).toMatchObject({ unreadCount: 1, customerLastReadId: null });

      const r1 = await reply(id, 'First answer');
      await reply(id, 'Second answer');
      expect(await customerView(token, id)).toMatchObject({ unreadCount: 2 });

      const read = await customerRead(token, id, { upTo: r1 }).expect(200);
      expect(read.body).toEqual({ lastReadId: r1, unreadCount: 1 });
      expect(await customerView(token, id)).toMatchObject({ unreadCount: 1 });
      expect(await staffView(id)).toMatchObject({ customerLastReadId: r1, unreadCount: 1 });

      await staffRead(id, { upTo: first }).expect(200, { lastReadId: first, unreadCount: 0 });
      expect(await staffView(id)).toMatchObject({ unreadCount: 0 });
      await write(token, id, 'One more thing');
      expect(await staffView(id)).toMatchObject({ unreadCount: 1 });
    });

    it('sends a read event to both sides, and none for a mark that would move backwards', async () => {
      const token = await newCustomer();
      const { id, first } = await start(token);
      const r1 = await reply(id, 'Answer 1');
      const r2 = await reply(id, 'Answer 2');
      const customerStream = await openStream('events', bearer(token));
      const staffStream = await openStream('staff/events', staff);

      await customerRead(token, id, { upTo: r2 }).expect(200);
      // Backwards: a tab that loaded earlier reports an older message. Nothing changes.
      const backwards = await customerRead(token, id, { upTo: r1 }).expect(200);
      expect(backwards.body).toEqual({ lastReadId: r2, unreadCount: 0 });
      await staffRead(id, { upTo: first }).expect(200);

      for (const stream of [customerStream, staffStream]) {
        const reads = await stream.waitFor(of('read', id), 2);
        expect(reads.map((e) => e.data)).toMatchObject([
          { type: 'read', side: 'customer', lastReadId: r2, conversation: { id } },
          { type: 'read', side: 'staff', lastReadId: first, conversation: { id } },
        ]);
        // Stored events: each has its id, so a reconnecting client resumes after it.
        expect(reads.every((e) => Number(e.id) > 0)).toBe(true);
      }
      expect(await staffView(id)).toMatchObject({ customerLastReadId: r2 });
    });

    it('refuses a message of another conversation, and a malformed upTo, with 400', async () => {
      const token = await newCustomer();
      const { id } = await start(token);
      const other = await start(token, 'Another question');
      const r1 = await reply(id, 'Answer');

      const foreign = await customerRead(token, id, { upTo: other.first }).expect(400);
      expect(foreign.body).toMatchObject({
        code: 'validation_failed',
        fields: [{ field: 'upTo', code: 'invalid_choice' }],
      });
      await staffRead(id, { upTo: other.first }).expect(400);
      for (const upTo of ['12', 0, -1, 1.5, null, 2 ** 60]) {
        await customerRead(token, id, { upTo }).expect(400);
      }
      await customerRead(token, id, {}).expect(400);
      await customerRead(token, id, { upTo: r1, extra: true }).expect(400);
      // Nothing was recorded.
      expect(await customerView(token, id)).toMatchObject({ unreadCount: 1 });
    });

    it('answers 404 for another customer’s conversation and an unknown id', async () => {
      const owner = await newCustomer();
      const stranger = await newCustomer();
      const { id } = await start(owner);
      const r1 = await reply(id, 'Private answer');
      await customerRead(stranger, id, { upTo: r1 }).expect(404);
      await customerRead(owner, 'c_unknownunknownunknownunkn', { upTo: r1 }).expect(404);
      await customerRead(owner, 'not-an-id', { upTo: r1 }).expect(404);
      await staffRead('c_unknownunknownunknownunkn', { upTo: r1 }).expect(404);
      await request(server)
        .post(`/helper/staff/conversations/${id}/read`)
        .send({ upTo: r1 })
        .expect(401);
      expect(await customerView(owner, id)).toMatchObject({ unreadCount: 1 });
    });
  });

  describe('typing', () => {
    it('passes one notice per 3 s to the other side only, and drops the rest with 202', async () => {
      const token = await newCustomer();
      const { id } = await start(token);
      const customerStream = await openStream('events', bearer(token));
      const staffStream = await openStream('staff/events', staff);
      const [ready] = await customerStream.waitFor((e) => e.type === 'ready');

      for (let i = 0; i < 4; i++) {
        await request(server)
          .post(`/helper/conversations/${id}/typing`)
          .set(bearer(token))
          .expect(202);
        await request(server)
          .post(`/helper/staff/conversations/${id}/typing`)
          .set(staff)
          .expect(202);
      }
      // A stored event after them: once it is there, every notice sent before it is too.
      await write(token, id, 'Done typing');
      await customerStream.waitFor(of('message', id));
      await staffStream.waitFor(of('message', id));

      const toStaff = staffStream.events.filter(of('typing', id));
      expect(toStaff.map((e) => e.data)).toEqual([
        { type: 'typing', conversationId: id, side: 'customer' },
      ]);
      const toCustomer = customerStream.events.filter(of('typing', id));
      expect(toCustomer.map((e) => e.data)).toEqual([
        { type: 'typing', conversationId: id, side: 'staff' },
      ]);
      // Not stored: it carries the position the stream had, so resuming from it skips nothing.
      expect(toCustomer[0]!.id).toBe(ready!.id);
    });

    it('keeps notices to the conversation’s own customer, and answers 404 to anyone else', async () => {
      const owner = await newCustomer();
      const stranger = await newCustomer();
      const { id } = await start(owner);
      const strangerStream = await openStream('events', bearer(stranger));
      const theirs = await start(stranger, 'My own question');
      await request(server)
        .post(`/helper/conversations/${id}/typing`)
        .set(bearer(stranger))
        .expect(404);
      await request(server).post(`/helper/staff/conversations/${id}/typing`).set(staff).expect(202);
      await reply(theirs.id, 'To the stranger');
      await strangerStream.waitFor(of('message', theirs.id));
      expect(strangerStream.events.filter((e) => e.type === 'typing')).toEqual([]);
    });
  });

  describe('rating', () => {
    it('is refused while the conversation is open, taken once when closed, and shown to staff', async () => {
      const token = await newCustomer();
      const { id } = await start(token);
      const rate = (body: object) =>
        request(server).post(`/helper/conversations/${id}/rating`).set(bearer(token)).send(body);
      const staffStream = await openStream('staff/events', staff);

      const open = await rate({ rating: 'good' }).expect(409);
      expect(open.body).toMatchObject({ code: 'conversation_open' });
      await close(id);
      const rated = await rate({ rating: 'good', comment: '  Quick and kind.  ' }).expect(201);
      expect(rated.body.rating).toMatchObject({ rating: 'good', comment: 'Quick and kind.' });
      const again = await rate({ rating: 'bad' }).expect(409);
      expect(again.body).toMatchObject({ code: 'already_rated' });

      expect((await staffView(id)).rating).toMatchObject({
        rating: 'good',
        comment: 'Quick and kind.',
      });
      // The customer's list has it too, so a reloaded widget does not ask again.
      expect((await customerView(token, id)).rating).toMatchObject({ rating: 'good' });
      const [event] = await staffStream.waitFor(of('rating', id));
      expect(event!.data).toMatchObject({ rating: { rating: 'good', comment: 'Quick and kind.' } });
    });

    it.each<[string, object]>([
      ['a comment of 1,001 characters', { rating: 'bad', comment: 'x'.repeat(1001) }],
      ['an unknown rating', { rating: 'meh' }],
      ['no rating', { comment: 'Fine' }],
      ['a comment that is not text', { rating: 'good', comment: 42 }],
      ['a comment with a NUL character', { rating: 'good', comment: 'a\u0000b' }],
      ['an unknown field', { rating: 'good', stars: 5 }],
    ])('refuses %s with 400 and stores nothing', async (_label, body) => {
      const token = await newCustomer();
      const { id } = await start(token);
      await close(id);
      const refused = await request(server)
        .post(`/helper/conversations/${id}/rating`)
        .set(bearer(token))
        .send(body)
        .expect(400);
      expect(refused.body.code).toBe('validation_failed');
      expect((await staffView(id)).rating).toBeNull();
    });

    it('takes a comment of exactly 1,000 characters, and no comment at all', async () => {
      const token = await newCustomer();
      const first = await start(token);
      const second = await start(token, 'Second');
      await close(first.id);
      await close(second.id);
      await request(server)
        .post(`/helper/conversations/${first.id}/rating`)
        .set(bearer(token))
        .send({ rating: 'bad', comment: 'y'.repeat(1000) })
        .expect(201);
      const plain = await request(server)
        .post(`/helper/conversations/${second.id}/rating`)
        .set(bearer(token))
        .send({ rating: 'good' })
        .expect(201);
      expect(plain.body.rating).toMatchObject({ rating: 'good', comment: null });
    });

    it('answers 404 to another customer', async () => {
      const owner = await newCustomer();
      const stranger = await newCustomer();
      const { id } = await start(owner);
      await close(id);
      await request(server)
        .post(`/helper/conversations/${id}/rating`)
        .set(bearer(stranger))
        .send({ rating: 'bad' })
        .expect(404);
      expect((await staffView(id)).rating).toBeNull();
    });
  });
});
