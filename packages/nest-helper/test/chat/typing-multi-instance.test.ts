import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import { StaffTokenGuard, helperModules, listen, startApp } from '../support/app.js';
import { createTestDatabase } from '../support/postgres.js';
import { ADMIN_TOKEN, SECRET } from '../support/secrets.js';
import { SseClient } from '../support/sse.js';

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };

// Typing is never stored: it must still cross instances, through PostgreSQL's notifications.
describe('typing on two instances sharing one PostgreSQL database', () => {
  let a: INestApplication;
  let b: INestApplication;
  let baseB: string;

  beforeAll(async () => {
    const url = await createTestDatabase();
    const options = { hmacSecrets: [SECRET], adminGuard: StaffTokenGuard, database: { url } };
    [a, b] = await Promise.all([
      startApp(helperModules(options)),
      startApp(helperModules(options)),
    ]);
    baseB = await listen(b);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('reaches the other side’s stream on the other instance, both ways', async () => {
    const session = await request(a.getHttpServer())
      .post('/helper/widget/session')
      .send(signIdentity({ email: 'typist@example.com' }, SECRET))
      .expect(200);
    const customer = { Authorization: `Bearer ${session.body.token}` };
    const started = await request(a.getHttpServer())
      .post('/helper/conversations')
      .set(customer)
      .send({ body: 'Hello from A' })
      .expect(201);
    const id = started.body.conversation.id as string;
    const customerStream = new SseClient(`${baseB}/helper/events`, customer);
    const staffStream = new SseClient(`${baseB}/helper/staff/events`, staff);
    await customerStream.waitFor((e) => e.type === 'ready');
    await staffStream.waitFor((e) => e.type === 'ready');

    await request(a.getHttpServer())
      .post(`/helper/staff/conversations/${id}/typing`)
      .set(staff)
      .expect(202);
    await request(a.getHttpServer())
      .post(`/helper/conversations/${id}/typing`)
      .set(customer)
      .expect(202);

    const [toCustomer] = await customerStream.waitFor((e) => e.type === 'typing');
    expect(toCustomer!.data).toEqual({ type: 'typing', conversationId: id, side: 'staff' });
    const [toStaff] = await staffStream.waitFor((e) => e.type === 'typing');
    expect(toStaff!.data).toEqual({ type: 'typing', conversationId: id, side: 'customer' });
    customerStream.close();
    staffStream.close();
  });
});
