import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { verifyIdentity, verifyMetadataHash } from '@helperkit/core/node';
import { createApp } from './support/app.js';
import { SECRET } from './support/secrets.js';

const asUser = (user: object) => ({ 'x-user': JSON.stringify(user) });

describe('signing middleware', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('signs the logged-in customer, with the metadata the host knows, on the routes it chose', async () => {
    const response = await request(app.getHttpServer())
      .get('/account')
      .set(asUser({ email: 'ann@example.com', name: 'Ann' }))
      .expect(200);
    expect(response.body.name).toBe('Ann');
    expect(response.body.identity).toEqual({
      email: 'ann@example.com',
      timestamp: expect.any(Number),
      emailHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      metadata: { name: 'Ann' },
      metadataHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(verifyIdentity(response.body.identity, [SECRET])).toMatchObject({
      ok: true,
      email: 'ann@example.com',
    });
    expect(verifyMetadataHash(response.body.identity, [SECRET])).toMatchObject({ ok: true });
    // What the page hands to the widget starts a session with that metadata, signed.
    const { metadata: customerMetadata, ...identity } = response.body.identity;
    await request(app.getHttpServer())
      .post('/helper/widget/session')
      .send({ ...identity, customerMetadata })
      .expect(200);
  });

  it('signs again as soon as the metadata the host knows changes, never a stale value', async () => {
    const identityFor = async (user: object) =>
      (await request(app.getHttpServer()).get('/account').set(asUser(user)).expect(200)).body
        .identity;
    const first = await identityFor({ email: 'bea@example.com', value: 100 });
    // The same customer a moment later: the same signature (it stays valid for an hour).
    expect(await identityFor({ email: 'bea@example.com', value: 100 })).toEqual(first);
    // Their value changed on the host: a new signature over the new value, which verifies.
    const raised = await identityFor({ email: 'bea@example.com', value: 5000 });
    expect(raised.metadata).toEqual({ value: 5000 });
    expect(raised.metadataHash).not.toBe(first.metadataHash);
    expect(verifyMetadataHash(raised, [SECRET])).toMatchObject({ ok: true });
    // Another customer never gets someone else's signature.
    const other = await identityFor({ email: 'cat@example.com', value: 100 });
    expect(other.email).toBe('cat@example.com');
    expect(verifyIdentity(other, [SECRET])).toMatchObject({ ok: true, email: 'cat@example.com' });
  });

  it('attaches nothing when nobody is logged in', async () => {
    await request(app.getHttpServer()).get('/account').expect(200, { identity: null, name: null });
  });

  it('does not run on excluded routes', async () => {
    await request(app.getHttpServer())
      .get('/public')
      .set(asUser({ email: 'ann@example.com' }))
      .expect(200, { identity: null });
  });

  it('does not run on routes the host did not choose', async () => {
    const response = await request(app.getHttpServer())
      .get('/my-session')
      .set(asUser({ email: 'ann@example.com' }));
    expect(response.status).toBe(401);
  });

  it('ignores a hook answer without a usable email', async () => {
    await request(app.getHttpServer())
      .get('/account')
      .set(asUser({ email: '' }))
      .expect(200, { identity: null, name: null });
  });
});

describe('GET /helper/widget/identity', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp({ signing: {} });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers the signed identity of the logged-in customer, not to be cached', async () => {
    const response = await request(app.getHttpServer())
      .get('/helper/widget/identity')
      .set(asUser({ email: 'ann@example.com' }))
      .expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(verifyIdentity(response.body, [SECRET])).toMatchObject({
      ok: true,
      email: 'ann@example.com',
    });
  });

  it('answers 204 when nobody is logged in', async () => {
    const response = await request(app.getHttpServer()).get('/helper/widget/identity').expect(204);
    expect(response.text).toBe('');
  });

  it('lets the identity start a session', async () => {
    const identity = await request(app.getHttpServer())
      .get('/helper/widget/identity')
      .set(asUser({ email: 'ann@example.com' }));
    const session = await request(app.getHttpServer())
      .post('/helper/widget/session')
      .send(identity.body)
      .expect(200);
    expect(session.body.customer).toEqual({ name: null });
  });
});

describe('a resolveCustomer hook that fails', () => {
  it("reaches the host's error handling instead of signing anything", async () => {
    const app = await createApp({
      resolveCustomer: () => {
        throw new Error('user lookup failed');
      },
    });
    const response = await request(app.getHttpServer()).get('/helper/widget/identity');
    expect(response.status).toBe(500);
    await app.close();
  });
});

describe('CORS', () => {
  it('answers other origins on the widget endpoints only, when enabled', async () => {
    const app = await createApp({ cors: { origin: ['https://shop.example.com'] } });
    const server = app.getHttpServer();
    const preflight = await request(server)
      .options('/helper/widget/session')
      .set('Origin', 'https://shop.example.com')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    const session = await request(server)
      .post('/helper/widget/session')
      .set('Origin', 'https://shop.example.com')
      .send({});
    expect(session.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    const stranger = await request(server)
      .post('/helper/widget/session')
      .set('Origin', 'https://evil.example.com')
      .send({});
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
    const admin = await request(server)
      .get('/helper/settings')
      .set('Origin', 'https://shop.example.com');
    expect(admin.headers['access-control-allow-origin']).toBeUndefined();
    await app.close();
  });

  it('never lets another site read the signed identity, even from a listed origin', async () => {
    const app = await createApp({
      cors: { origin: ['https://shop.example.com'], credentials: true },
    });
    const server = app.getHttpServer();
    const identity = await request(server)
      .get('/helper/widget/identity')
      .set('Origin', 'https://shop.example.com')
      .set(asUser({ email: 'ann@example.com' }))
      .expect(200);
    expect(identity.headers['access-control-allow-origin']).toBeUndefined();
    expect(identity.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await request(server)
      .options('/helper/widget/identity')
      .set('Origin', 'https://shop.example.com')
      .set('Access-Control-Request-Method', 'GET');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    await app.close();
  });

  it('is off by default', async () => {
    const app = await createApp();
    const response = await request(app.getHttpServer())
      .post('/helper/widget/session')
      .set('Origin', 'https://shop.example.com')
      .send({});
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    await app.close();
  });
});
