import { afterEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import { StreamSlots, STREAM_LEASE_MS } from '../src/limits/stream-slots.service.js';
import type { HelperLimits } from '../src/limits/limits.options.js';
import { listen } from './support/app.js';
import { FakeClock, anonymousToken, from, startLimitedApp } from './support/limited-app.js';
import { createTestDatabase } from './support/postgres.js';
import { SECRET } from './support/secrets.js';
import { SseClient } from './support/sse.js';

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

// Two application instances behind a load balancer, sharing one PostgreSQL database: a client
// that spreads its requests over both still has one budget.
describe('abuse limits on two instances sharing one PostgreSQL database', () => {
  const clock = new FakeClock();
  let a: INestApplication;
  let b: INestApplication;
  const startBoth = async (limits: Partial<HelperLimits>) => {
    const url = await createTestDatabase();
    a = await startLimitedApp(limits, clock, { url });
    b = await startLimitedApp(limits, clock, { url });
  };
  afterEach(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('the second instance refuses the sessions, conversations and messages the first used up', async () => {
    await startBoth({
      sessionsPerIpPerHour: 2,
      conversationsPerIpPerHour: 1,
      messagesPerMinute: 2,
    });
    const ip = '192.0.2.50';
    await anonymousToken(a, ip);
    await anonymousToken(a, ip);
    await request(b.getHttpServer())
      .post('/helper/widget/session')
      .set(from(ip))
      .send({})
      .expect(429);

    const identity = signIdentity({ email: 'shared@example.com' }, SECRET);
    const token = (
      await request(a.getHttpServer()).post('/helper/widget/session').send(identity).expect(200)
    ).body.token as string;
    const started = await request(a.getHttpServer())
      .post('/helper/conversations')
      .set(from(ip))
      .set(bearer(token))
      .send({ body: 'First' })
      .expect(201);
    // Another visitor from the same IP (its session started elsewhere).
    const visitor = await anonymousToken(a, '192.0.2.51');
    const refused = await request(b.getHttpServer())
      .post('/helper/conversations')
      .set(from(ip))
      .set(bearer(visitor))
      .send({ body: 'Second' });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');

    // The conversation's first message was the first of two this minute.
    const id = started.body.conversation.id as string;
    const post = (app: INestApplication, n: number) =>
      request(app.getHttpServer())
        .post(`/helper/conversations/${id}/messages`)
        .set(bearer(token))
        .send({ body: `${n}`, clientId: `shared-${n}` });
    expect((await post(a, 1)).status).toBe(201);
    const limited = await post(b, 2);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
  });

  it('counts the streams of both instances under one IP cap, and forgets a dead instance’s', async () => {
    await startBoth({ streamsPerIp: 2 });
    const [baseA, baseB] = [await listen(a), await listen(b)];
    const ip = '192.0.2.60';
    const open = async (base: string) => {
      const client = new SseClient(
        `${base}/helper/events?token=${await anonymousToken(a, ip)}`,
        from(ip),
      );
      const { status } = await client.opened;
      if (status === 200) await client.waitFor((event) => event.type === 'ready');
      return { client, status };
    };
    const held = [await open(baseA), await open(baseA)];
    const third = await open(baseB);
    expect(third.status).toBe(429);
    third.client.close();

    // Instance A stops renewing its leases (as if it had crashed): past the lease, its streams
    // count for nothing.
    clock.advance(STREAM_LEASE_MS + 1);
    const afterLease = await open(baseB);
    expect(afterLease.status).toBe(200);
    [...held, afterLease].forEach((stream) => stream.client.close());
  });

  it('closes the oldest stream on the other instance with `replaced` at its next renewal', async () => {
    await startBoth({ streamsPerIdentity: 1 });
    const [baseA, baseB] = [await listen(a), await listen(b)];
    const token = await anonymousToken(a);
    const open = async (base: string) => {
      const client = new SseClient(`${base}/helper/events?token=${token}`);
      await client.waitFor((event) => event.type === 'ready');
      return client;
    };
    const older = await open(baseA);
    const newer = await open(baseB);
    await a.get(StreamSlots).renew();
    const [replaced] = await older.waitFor((event) => event.type === 'replaced');
    expect(replaced!.type).toBe('replaced');
    await older.ended;

    await b.get(StreamSlots).renew();
    await request(b.getHttpServer())
      .post('/helper/conversations')
      .set(bearer(token))
      .send({ body: 'Newest tab works' })
      .expect(201);
    await newer.waitFor((event) => event.type === 'message');
    expect(newer.events.some((event) => event.type === 'replaced')).toBe(false);
    newer.close();
  });
});
