import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DEFAULT_SETTINGS } from '@helperkit/core';
import { signIdentity } from '@helperkit/core/node';
import { HelperModule } from '../src/index.js';
import { StaffTokenGuard, listen, startApp } from './support/app.js';
import { createTestDatabase } from './support/postgres.js';
import { ADMIN_TOKEN, SECRET } from './support/secrets.js';
import { SseClient } from './support/sse.js';

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };

// Two application instances behind a load balancer, sharing one PostgreSQL database.
describe('two instances on one PostgreSQL database', () => {
  let a: INestApplication;
  let b: INestApplication;
  let baseB: string;

  beforeAll(async () => {
    const url = await createTestDatabase();
    const options = { hmacSecrets: [SECRET], adminGuard: StaffTokenGuard, database: { url } };
    // Started together: the migrator's lock lets one of them migrate, the other wait.
    [a, b] = await Promise.all([
      startApp([HelperModule.forRoot(options)]),
      startApp([HelperModule.forRoot(options)]),
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
