import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import { HelperMailboxes } from '../src/mailboxes/mailboxes.service.js';
import { SESSION_AUDIENCE } from '../src/identity/session-tokens.js';
import { HelperJwt } from '../src/tokens/helper-jwt.js';
import { TokenKeyring } from '../src/tokens/keyring.js';
import { createApp, listen } from './support/app.js';
import { ADMIN_TOKEN, SECRET } from './support/secrets.js';
import { SseClient } from './support/sse.js';

// Input an attacker sends on purpose: every answer is a clear 4xx, never a 500.

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };

describe('hostile input', () => {
  let app: INestApplication;
  let server: ReturnType<INestApplication['getHttpServer']>;
  let base: string;
  let bearer: { Authorization: string };

  beforeAll(async () => {
    app = await createApp();
    server = app.getHttpServer();
    base = await listen(app);
    const session = await request(server)
      .post('/helper/widget/session')
      .send(signIdentity({ email: 'ann@example.com' }, SECRET))
      .expect(200);
    bearer = { Authorization: `Bearer ${session.body.token as string}` };
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    '/helper/conversations?offset=1e20',
    '/helper/conversations?offset=-1',
    '/helper/conversations?limit=1e3',
    '/helper/staff/conversations?offset=99999999999999999999',
  ])('answers 400 for an out-of-range number: %s', async (path) => {
    const answer = await request(server)
      .get(path)
      .set(path.includes('/staff/') ? staff : bearer);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('validation_failed');
  });

  it('answers 400 for a message page before an absurd id', async () => {
    const started = await request(server)
      .post('/helper/conversations')
      .set(bearer)
      .send({ body: 'Hi' })
      .expect(201);
    const answer = await request(server)
      .get(`/helper/conversations/${started.body.conversation.id as string}/messages?before=1e30`)
      .set(bearer);
    expect(answer.status).toBe(400);
  });

  it('answers 400 for JSON nested 16,000 levels deep, and keeps working', async () => {
    const deep = `${'['.repeat(16_000)}${']'.repeat(16_000)}`;
    const answer = await request(server)
      .post('/helper/widget/session')
      .set('Content-Type', 'application/json')
      .send(`{"customerMetadata":{"links":${deep}}}`);
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/deeper than 32 levels/);
    await request(server)
      .post('/helper/conversations')
      .set(bearer)
      .send({ body: 'Still fine' })
      .expect(201);
  });

  it('ends a customer event stream when its token expires, with a last `expired` event', async () => {
    const keyring = new TokenKeyring(app.get(HelperMailboxes).all(), 'session token');
    const shortLived = new HelperJwt<{ kind: string }>(keyring, SESSION_AUDIENCE).sign(
      { kind: 'anonymous', mbx: 'default', sub: 'short-lived-visitor' },
      2,
    );
    const stream = new SseClient(`${base}/helper/events?token=${shortLived.token}`);
    try {
      await stream.waitFor((event) => event.type === 'ready');
      const [expired] = await stream.waitFor((event) => event.type === 'expired', 1, 8000);
      expect(expired).toBeDefined();
    } finally {
      stream.close();
    }
    // And an expired token opens no stream at all.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const late = await request(server).get(`/helper/events?token=${shortLived.token}`);
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('session_expired');
  });
});
