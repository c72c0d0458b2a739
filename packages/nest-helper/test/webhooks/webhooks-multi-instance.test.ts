import { afterAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import { createTestDatabase } from '../support/postgres.js';
import { SECRET } from '../support/secrets.js';
import { startWebhookApp, webhookEntries } from '../support/webhook-app.js';
import { WebhookReceiver, newWebhookSecret } from '../support/webhook-receiver.js';

jest.setTimeout(60_000);

// Two application instances behind a load balancer, sharing one PostgreSQL database: both poll
// the outbox, and each webhook still goes out once.
describe('webhooks on two instances sharing one PostgreSQL database', () => {
  const hooks = new WebhookReceiver();
  let apps: INestApplication[] = [];
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await hooks.stop();
  });

  const startConversation = async (app: INestApplication, email: string) => {
    const session = await request(app.getHttpServer())
      .post('/helper/widget/session')
      .send({ ...signIdentity({ email }, SECRET), metadata: undefined })
      .expect(200);
    await request(app.getHttpServer())
      .post('/helper/conversations')
      .set({ Authorization: `Bearer ${session.body.token}` })
      .send({ body: `Hello from ${email}` })
      .expect(201);
  };

  it('delivers each webhook exactly once', async () => {
    await hooks.start();
    const url = await createTestDatabase();
    const secret = newWebhookSecret();
    const options = {
      webhooks: [{ url: hooks.url, secret }],
      database: { url },
    };
    apps = await Promise.all([startWebhookApp(options), startWebhookApp(options)]);
    const customers = Array.from({ length: 10 }, (_, index) => `customer-${index}@example.com`);
    await Promise.all(customers.map((email, index) => startConversation(apps[index % 2]!, email)));
    // A conversation and its first message each: two webhooks per customer.
    const expected = customers.length * 2;
    await hooks.waitFor(expected);
    // Wait until every entry is marked sent: each was claimed once (a second delivery would
    // have counted a second attempt) and by then every delivery has reached the receiver.
    let entries = await webhookEntries(apps[0]!);
    while (entries.some((entry) => entry.status !== 'sent')) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      entries = await webhookEntries(apps[0]!);
    }
    expect(entries).toHaveLength(expected);
    expect(entries.map((entry) => Number(entry.attempts))).toEqual(entries.map(() => 1));
    const ids = hooks.received.map(({ headers }) => headers['webhook-id']);
    expect(hooks.received).toHaveLength(expected);
    expect(new Set(ids).size).toBe(expected);
    expect(hooks.verified(secret)).toHaveLength(expected);
  });
});
