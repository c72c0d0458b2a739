import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request, { type Response } from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import { testDatabase } from './support/app.js';
import { FakeClock, anonymousToken, from, startLimitedApp } from './support/limited-app.js';
import { listen } from './support/app.js';
import { SECRET } from './support/secrets.js';
import { SseClient } from './support/sse.js';
import type { HelperLimits } from '../src/limits/limits.options.js';

const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The module's error shape for a limit, with a whole number of seconds to wait. */
function expectRateLimited(response: Response, retryAfterSeconds: number) {
  expect(response.status).toBe(429);
  expect(response.body).toEqual({
    statusCode: 429,
    code: 'rate_limited',
    message: expect.any(String),
  });
  expect(response.headers['retry-after']).toBe(String(retryAfterSeconds));
}

describe('abuse limits', () => {
  const clock = new FakeClock();
  let app: INestApplication;
  const start = async (limits: Partial<HelperLimits>) => {
    app = await startLimitedApp(limits, clock, await testDatabase());
    return app.getHttpServer();
  };
  afterEach(async () => {
    await app?.close();
  });

  describe('new anonymous sessions per client IP', () => {
    it('refuses an attacker’s loop past the limit, and takes new sessions after the hour', async () => {
      const server = await start({ sessionsPerIpPerHour: 5 });
      clock.advance(HOUR - (clock.read() % HOUR) + 10 * MINUTE); // ten minutes into an hour
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push((await request(server).post('/helper/widget/session').send({})).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      const refused = await request(server).post('/helper/widget/session').send({});
      expectRateLimited(refused, 50 * 60);

      clock.advance(50 * MINUTE);
      await request(server).post('/helper/widget/session').send({}).expect(200);
    });

    it('does not count refreshes with currentToken, identified sessions, or other IPs', async () => {
      const server = await start({ sessionsPerIpPerHour: 1 });
      const token = await anonymousToken(app, '198.51.100.7');
      await request(server)
        .post('/helper/widget/session')
        .set(from('198.51.100.7'))
        .send({})
        .expect(429);
      for (let i = 0; i < 3; i++) {
        const refreshed = await request(server)
          .post('/helper/widget/session')
          .set(from('198.51.100.7'))
          .send({ currentToken: token })
          .expect(200);
        expect(refreshed.body.token).toEqual(expect.any(String));
      }
      for (let i = 0; i < 3; i++) {
        await request(server)
          .post('/helper/widget/session')
          .set(from('198.51.100.7'))
          .send(signIdentity({ email: `known-${i}@example.com` }, SECRET))
          .expect(200);
      }
      await anonymousToken(app, '198.51.100.8');
    });

    it('counts an IPv6 client by its /64, and an IPv4-mapped address as the IPv4 one', async () => {
      const server = await start({ sessionsPerIpPerHour: 1 });
      await anonymousToken(app, '2001:db8:1:2::1');
      // Another address in the same /64 is the same client.
      const same64 = await request(server)
        .post('/helper/widget/session')
        .set(from('2001:db8:1:2:ffff:ffff:ffff:fffe'))
        .send({});
      expect(same64.status).toBe(429);
      // The next /64 is another client.
      await anonymousToken(app, '2001:db8:1:3::1');

      await anonymousToken(app, '203.0.113.9');
      const mapped = await request(server)
        .post('/helper/widget/session')
        .set(from('::ffff:203.0.113.9'))
        .send({});
      expect(mapped.status).toBe(429);
    });
  });

  describe('new conversations per client IP', () => {
    it('refuses past the limit, whatever the token, and starts again after the hour', async () => {
      const server = await start({ conversationsPerIpPerHour: 3 });
      const statuses: number[] = [];
      // The attack that was seen: a fresh anonymous token for every conversation.
      for (let i = 0; i < 5; i++) {
        const token = await anonymousToken(app, '192.0.2.10');
        const response = await request(server)
          .post('/helper/conversations')
          .set(from('192.0.2.10'))
          .set(bearer(token))
          .send({ body: 'x'.repeat(10_000) });
        statuses.push(response.status);
        if (i === 4) expectRateLimited(response, 3600);
      }
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
      const list = await request(server)
        .get('/helper/staff/conversations')
        .set({ Authorization: 'Bearer staff-token-for-tests' })
        .expect(200);
      expect(list.body.conversations).toHaveLength(3);

      // Another client is not affected.
      const other = await anonymousToken(app, '192.0.2.11');
      await request(server)
        .post('/helper/conversations')
        .set(from('192.0.2.11'))
        .set(bearer(other))
        .send({ body: 'Hello' })
        .expect(201);

      clock.advance(HOUR);
      const later = await anonymousToken(app, '192.0.2.10');
      await request(server)
        .post('/helper/conversations')
        .set(from('192.0.2.10'))
        .set(bearer(later))
        .send({ body: 'Hello again' })
        .expect(201);
    });
  });

  describe('messages per owner', () => {
    it('refuses an owner’s loop past the limit from any IP, and takes messages the next minute', async () => {
      const server = await start({ messagesPerMinute: 4 });
      const identity = signIdentity({ email: 'busy@example.com' }, SECRET);
      const session = async (ip: string) =>
        (
          await request(server)
            .post('/helper/widget/session')
            .set(from(ip))
            .send(identity)
            .expect(200)
        ).body.token as string;
      const token = await session('192.0.2.20');
      const started = await request(server)
        .post('/helper/conversations')
        .set(bearer(token))
        .send({ body: 'Hi' })
        .expect(201);
      const id = started.body.conversation.id as string;
      const post = (bearerToken: string, ip: string, n: number) =>
        request(server)
          .post(`/helper/conversations/${id}/messages`)
          .set(from(ip))
          .set(bearer(bearerToken))
          .send({ body: `message ${n}`, clientId: `loop-${n}` });

      const statuses: number[] = [];
      for (let n = 0; n < 5; n++) statuses.push((await post(token, '192.0.2.20', n)).status);
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
      // The same customer through another session and another IP is the same owner.
      const elsewhere = await session('192.0.2.99');
      expectRateLimited(await post(elsewhere, '192.0.2.99', 9), 60);
      const messages = await request(server)
        .get(`/helper/conversations/${id}/messages`)
        .set(bearer(token))
        .expect(200);
      expect(messages.body.messages).toHaveLength(4);

      // Another owner has a budget of its own.
      const visitor = await anonymousToken(app, '192.0.2.20');
      await request(server)
        .post('/helper/conversations')
        .set(from('192.0.2.20'))
        .set(bearer(visitor))
        .send({ body: 'Me too' })
        .expect(201);

      clock.advance(MINUTE);
      expect((await post(token, '192.0.2.20', 10)).status).toBe(201);
    });
  });

  describe('event streams', () => {
    const openStream = async (base: string, token: string, ip: string) => {
      const client = new SseClient(`${base}/helper/events?token=${token}`, from(ip));
      const response = await client.opened;
      if (response.status === 200) await client.waitFor((event) => event.type === 'ready');
      return { client, response };
    };

    it('closes an owner’s oldest stream with `replaced` when the 11th opens', async () => {
      await start({});
      const base = await listen(app);
      const token = await anonymousToken(app);
      const streams = [];
      for (let i = 0; i < 10; i++)
        streams.push((await openStream(base, token, '192.0.2.30')).client);
      const eleventh = await openStream(base, token, '192.0.2.30');
      expect(eleventh.response.status).toBe(200);

      const [replaced] = await streams[0]!.waitFor((event) => event.type === 'replaced');
      expect(replaced!.data).toEqual({ message: expect.any(String) });
      await streams[0]!.ended;
      // Only the oldest made way: the second still gets the customer's events.
      const started = await request(app.getHttpServer())
        .post('/helper/conversations')
        .set(bearer(token))
        .send({ body: 'Still here?' })
        .expect(201);
      for (const stream of [streams[1]!, eleventh.client]) {
        await stream.waitFor((event) => event.type === 'message');
      }
      expect(streams[1]!.events.some((event) => event.type === 'replaced')).toBe(false);
      expect(started.body.conversation.id).toEqual(expect.any(String));
      [...streams, eleventh.client].forEach((stream) => stream.close());
    });

    it('refuses a stream past the per-IP cap with 429, and takes one again once a stream closes', async () => {
      await start({ streamsPerIp: 2 });
      const base = await listen(app);
      const first = await openStream(base, await anonymousToken(app, '192.0.2.40'), '192.0.2.40');
      const second = await openStream(base, await anonymousToken(app, '192.0.2.40'), '192.0.2.40');
      expect([first.response.status, second.response.status]).toEqual([200, 200]);

      const third = await fetch(
        `${base}/helper/events?token=${await anonymousToken(app, '192.0.2.40')}`,
        { headers: from('192.0.2.40') },
      );
      expect(third.status).toBe(429);
      expect(third.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(await third.json()).toMatchObject({ statusCode: 429, code: 'rate_limited' });

      // Another client IP is not affected.
      const elsewhere = await openStream(
        base,
        await anonymousToken(app, '192.0.2.41'),
        '192.0.2.41',
      );
      expect(elsewhere.response.status).toBe(200);

      first.client.close();
      await first.client.ended;
      const token = await anonymousToken(app, '192.0.2.40');
      let status = 0;
      // The server learns of the closed connection asynchronously: try until it has.
      for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
        const next = await openStream(base, token, '192.0.2.40');
        status = next.response.status;
        next.client.close();
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(status).toBe(200);
      [second, elsewhere].forEach((stream) => stream.client.close());
    });
  });
});
