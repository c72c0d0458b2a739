import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import { StaffTokenGuard, helperModules, listen, startApp } from './support/app.js';
import { ADMIN_URL, createTestDatabase } from './support/postgres.js';
import { ADMIN_TOKEN, SECRET } from './support/secrets.js';
import { SseClient } from './support/sse.js';

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** Ends every connection of `database` but the caller's, as a restart or a failover does. */
async function endConnections(database: string): Promise<number> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const { rowCount } = await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [database],
    );
    return rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

// PostgreSQL ends connections on its own: a restart, a failover, an administrator, a proxy's idle
// timeout. The pool's idle connections then fail while nobody uses them; the module must drop
// them and go on (node-postgres raises such a failure as an 'error' event on the pool, which ends
// the process when nothing listens for it).
describe('PostgreSQL ending the connections under a running app', () => {
  let app: INestApplication;
  let base: string;
  let database: string;

  beforeAll(async () => {
    const url = await createTestDatabase();
    database = new URL(url).pathname.slice(1);
    app = await startApp(
      helperModules({ hmacSecrets: [SECRET], adminGuard: StaffTokenGuard, database: { url } }),
    );
    base = await listen(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('keeps answering with fresh connections once its idle ones were ended', async () => {
    // Several requests at once, so the pool holds more than one idle connection afterwards.
    const before = await Promise.all(
      Array.from({ length: 4 }, () =>
        request(app.getHttpServer()).get('/helper/settings').set(staff),
      ),
    );
    expect(before.map((response) => response.status)).toEqual([200, 200, 200, 200]);

    expect(await endConnections(database)).toBeGreaterThan(1);
    // The ended connections' failures reach the app while it is idle.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const after = await request(app.getHttpServer()).get('/helper/settings').set(staff);
    expect(after.status).toBe(200);
    const patched = await request(app.getHttpServer())
      .patch('/helper/settings')
      .set(staff)
      .send({ title: 'After the restart' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'After the restart' });
  });

  it('delivers to an open stream an event stored while its listening connection was down', async () => {
    const session = await request(app.getHttpServer())
      .post('/helper/widget/session')
      .send(signIdentity({ email: 'steady@example.com' }, SECRET))
      .expect(200);
    const customer = { Authorization: `Bearer ${session.body.token as string}` };
    const started = await request(app.getHttpServer())
      .post('/helper/conversations')
      .set(customer)
      .send({ body: 'Before the restart' })
      .expect(201);
    const staffStream = new SseClient(`${base}/helper/staff/events`, staff);
    try {
      await staffStream.waitFor((event) => event.type === 'ready');

      await endConnections(database);
      // The pool hears of its ended connections (as in the test above); the listening connection
      // waits a second before it reconnects, so the message below is stored while it is down.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await request(app.getHttpServer())
        .post(`/helper/conversations/${started.body.conversation.id as string}/messages`)
        .set(customer)
        .send({ body: 'During the restart', clientId: 'during-restart' })
        .expect(201);

      // The listening connection comes back and reads what it missed.
      const [missed] = await staffStream.waitFor(
        (event) =>
          event.type === 'message' &&
          (event.data as { message: { body: string } }).message.body === 'During the restart',
      );
      expect(missed).toBeDefined();
    } finally {
      staffStream.close();
    }
  });
});
