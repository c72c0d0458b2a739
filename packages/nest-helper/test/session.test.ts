import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import type { DisplayMode } from '@helperkit/core';
import { HELPER_CUSTOMER_STORAGE, type CustomerStorage } from '../src/index.js';
import { createApp } from './support/app.js';
import { ADMIN_TOKEN, OTHER_SECRET, PREVIOUS_SECRET, SECRET } from './support/secrets.js';

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const identityOf = (email: string, secret = SECRET, timestamp = Date.now()) =>
  signIdentity({ email, timestamp }, secret);
/** An identity with its metadata signed together on the host's server, as the widget sends it. */
const signedWith = (email: string, metadata: Record<string, unknown>) => {
  const { metadata: customerMetadata, ...identity } = signIdentity({ email, metadata }, SECRET);
  return { ...identity, customerMetadata };
};
const decodeClaims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('POST /helper/widget/session', () => {
  let app: INestApplication;
  let server: ReturnType<INestApplication['getHttpServer']>;
  const setSettings = (patch: object) =>
    request(server).patch('/helper/settings').set(staff).send(patch).expect(200);
  const startSession = (body: object, headers: Record<string, string> = {}) =>
    request(server).post('/helper/widget/session').set(headers).send(body);

  beforeAll(async () => {
    app = await createApp();
    server = app.getHttpServer();
  });
  afterAll(async () => {
    await app.close();
  });

  describe('visibility', () => {
    const cases: Array<[DisplayMode, string, object | null, boolean]> = [
      ['always', 'an anonymous visitor', null, true],
      ['always', 'a customer without a value', {}, true],
      ['off', 'a customer above the threshold', { value: 1000 }, false],
      ['off', 'an anonymous visitor', null, false],
      ['revenue_based', 'a customer above the threshold', { value: 150 }, true],
      ['revenue_based', 'a customer exactly at the threshold', { value: 100 }, true],
      ['revenue_based', 'a customer just below the threshold', { value: 99.5 }, false],
      ['revenue_based', 'a customer without a value', {}, false],
      ['revenue_based', 'an anonymous visitor', null, false],
    ];
    it.each(cases)('%s shows the widget to %s: %p', async (displayMode, label, metadata, shown) => {
      await setSettings({ displayMode, minValue: 100 });
      const email = `${label.replace(/\W+/g, '-')}-${displayMode}@example.com`;
      const body = metadata === null ? {} : signedWith(email, metadata as Record<string, unknown>);
      const response = await startSession(body).expect(200);
      expect(response.body.showWidget).toBe(shown);
    });

    it.each<[string, unknown]>([
      ['negative', -1],
      ['a string', '150'],
    ])('refuses a %s value with a field error and stores nothing', async (_label, value) => {
      await setSettings({ displayMode: 'revenue_based', minValue: 100 });
      const email = `bad-value-${typeof value}@example.com`;
      const response = await startSession({ ...identityOf(email), customerMetadata: { value } });
      expect(response.status).toBe(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual([
        'customerMetadata.value',
      ]);
      expect(
        await app.get<CustomerStorage>(HELPER_CUSTOMER_STORAGE).getCustomer('default', email),
      ).toBeNull();
    });

    it('keeps the stored value for later sessions that send no metadata', async () => {
      await setSettings({ displayMode: 'revenue_based', minValue: 100 });
      const email = 'returning@example.com';
      await startSession(signedWith(email, { value: 500 })).expect(200);
      const later = await startSession(identityOf(email)).expect(200);
      expect(later.body.showWidget).toBe(true);
    });

    it("trusts the host's value over the one the widget sends", async () => {
      await setSettings({ displayMode: 'revenue_based', minValue: 100 });
      const email = 'host-knows@example.com';
      const hostSays = { 'x-user': JSON.stringify({ email, value: 10, name: 'Hosted Name' }) };
      const response = await startSession(
        signedWith(email, { value: 5000, name: 'Widget Name' }),
        hostSays,
      ).expect(200);
      expect(response.body.showWidget).toBe(false);
      expect(response.body.customer).toEqual({ name: 'Hosted Name' });
      // The host's hook about someone else is not trusted for this customer.
      const other = { 'x-user': JSON.stringify({ email: 'someone-else@example.com', value: 10 }) };
      const mine = await startSession(
        signedWith('rich@example.com', { value: 5000 }),
        other,
      ).expect(200);
      expect(mine.body.showWidget).toBe(true);
    });
  });

  describe('answer', () => {
    it('answers token, showWidget, title, customer name and expiry', async () => {
      await setSettings({ displayMode: 'always', title: 'Concierge' });
      const before = Date.now();
      const response = await startSession(
        signedWith('ann@example.com', {
          name: '  Ann Lee ',
          links: { CRM: 'https://crm.example.com/ann' },
        }),
      ).expect(200);
      expect(response.body).toEqual({
        token: expect.any(String),
        showWidget: true,
        title: 'Concierge',
        customer: { name: 'Ann Lee' },
        expiresAt: expect.any(String),
      });
      const lifetime = Date.parse(response.body.expiresAt) - before;
      expect(lifetime).toBeGreaterThan(12 * 3600_000 - 5000);
      expect(lifetime).toBeLessThanOrEqual(12 * 3600_000 + 1000);
      const stored = await app
        .get<CustomerStorage>(HELPER_CUSTOMER_STORAGE)
        .getCustomer('default', 'ann@example.com');
      expect(stored).toMatchObject({
        name: 'Ann Lee',
        links: { CRM: 'https://crm.example.com/ann' },
      });
      expect(stored).not.toHaveProperty('_metadata');
    });

    it('gives an anonymous visitor a 7-day token and no customer', async () => {
      const before = Date.now();
      const response = await startSession({}).expect(200);
      expect(response.body.customer).toBeNull();
      const lifetime = Date.parse(response.body.expiresAt) - before;
      expect(lifetime).toBeGreaterThan(7 * 24 * 3600_000 - 5000);
      expect(lifetime).toBeLessThanOrEqual(7 * 24 * 3600_000 + 1000);
    });

    it('keeps an anonymous visitor the same across sessions with currentToken', async () => {
      const first = await startSession({}).expect(200);
      const second = await startSession({ currentToken: first.body.token }).expect(200);
      expect(decodeClaims(second.body.token).sub).toBe(decodeClaims(first.body.token).sub);
      const stranger = await startSession({ currentToken: 'not-a-token' }).expect(200);
      expect(decodeClaims(stranger.body.token).sub).not.toBe(decodeClaims(first.body.token).sub);
    });

    it('refuses anonymous visitors when the mailbox does not allow them', async () => {
      await setSettings({ allowAnonymous: false });
      const response = await startSession({});
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ code: 'anonymous_not_allowed' });
      await startSession(identityOf('named@example.com')).expect(200);
      await setSettings({ allowAnonymous: true });
    });

    it('refuses metadata without a verified identity', async () => {
      const response = await startSession({ customerMetadata: { value: 10 } });
      expect(response.status).toBe(400);
      expect(response.body.fields).toEqual([
        expect.objectContaining({ field: 'customerMetadata', code: 'required' }),
      ]);
    });
  });

  describe('identity errors', () => {
    it.each<[string, () => object, string]>([
      [
        'an expired identity',
        () => identityOf('ann@example.com', SECRET, Date.now() - 2 * 3600_000),
        'expired',
      ],
      [
        'an identity from the future',
        () => identityOf('ann@example.com', SECRET, Date.now() + 3600_000),
        'future',
      ],
      [
        'an identity signed with another secret',
        () => identityOf('ann@example.com', OTHER_SECRET),
        'mismatch',
      ],
      [
        'an identity for another email',
        () => ({ ...identityOf('ann@example.com'), email: 'eve@example.com' }),
        'mismatch',
      ],
    ])(
      'answers 401 with the reason for %s, never the expected hash',
      async (_label, make, reason) => {
        const identity = make() as { email: string; timestamp: number };
        const response = await startSession(identity);
        expect(response.status).toBe(401);
        expect(response.body).toEqual({
          statusCode: 401,
          code: reason,
          message: expect.any(String),
        });
        const expected = signIdentity(identity, SECRET).emailHash;
        expect(response.text).not.toContain(expected);
      },
    );

    it.each<[string, object, string[]]>([
      [
        'a missing hash',
        { email: 'ann@example.com', timestamp: Date.now() },
        ['emailHash:required'],
      ],
      [
        'a short hash',
        { email: 'ann@example.com', timestamp: Date.now(), emailHash: 'abc' },
        ['emailHash:wrong_type'],
      ],
      [
        'a fractional timestamp',
        { email: 'ann@example.com', timestamp: 1.5, emailHash: 'a'.repeat(64) },
        ['timestamp:wrong_type'],
      ],
      [
        'an email with a line break',
        { email: 'ann@example.com\r\n', timestamp: Date.now(), emailHash: 'a'.repeat(64) },
        ['email:control_characters'],
      ],
      [
        'a too-long email',
        { email: `${'a'.repeat(250)}@x.io`, timestamp: Date.now(), emailHash: 'a'.repeat(64) },
        ['email:too_long'],
      ],
    ])('answers 400 malformed, field by field, for %s', async (_label, body, fields) => {
      const response = await startSession(body);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('malformed');
      expect(
        response.body.fields.map((f: { field: string; code: string }) => `${f.field}:${f.code}`),
      ).toEqual(fields);
    });

    it('refuses unknown fields and bad metadata field by field', async () => {
      const response = await startSession({
        ...identityOf('ann@example.com'),
        isAdmin: true,
        customerMetadata: { name: '', links: { CRM: 'javascript:alert(1)' }, plan: 'gold' },
      });
      expect(response.status).toBe(400);
      const fields = response.body.fields.map(
        (f: { field: string; code: string }) => `${f.field}:${f.code}`,
      );
      expect(fields).toEqual(
        expect.arrayContaining([
          'isAdmin:unknown_field',
          'customerMetadata.name:too_short',
          'customerMetadata.links:invalid_url',
          'customerMetadata.plan:unknown_field',
        ]),
      );
    });
  });
});

describe('secret rotation', () => {
  it('verifies identities signed with a previous secret, and keeps sessions issued before the rotation', async () => {
    const before = await createApp({ hmacSecrets: [PREVIOUS_SECRET] });
    const session = await request(before.getHttpServer())
      .post('/helper/widget/session')
      .send(identityOf('ann@example.com', PREVIOUS_SECRET))
      .expect(200);
    await before.close();

    const after = await createApp({ hmacSecrets: [SECRET, PREVIOUS_SECRET] });
    const server = after.getHttpServer();
    await request(server)
      .post('/helper/widget/session')
      .send(identityOf('ann@example.com', PREVIOUS_SECRET))
      .expect(200);
    await request(server)
      .post('/helper/widget/session')
      .send(identityOf('ann@example.com', SECRET))
      .expect(200);
    const mine = await request(server)
      .get('/my-session')
      .set('Authorization', `Bearer ${session.body.token}`)
      .expect(200);
    expect(mine.body).toEqual({
      kind: 'identified',
      mailbox: 'default',
      email: 'ann@example.com',
      expiresAt: session.body.expiresAt,
    });
    await after.close();

    const retired = await createApp({ hmacSecrets: [SECRET] });
    const refused = await request(retired.getHttpServer())
      .get('/my-session')
      .set('Authorization', `Bearer ${session.body.token}`);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('invalid_session');
    await retired.close();
  });
});

describe('SessionGuard', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await createApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers 401 without a token, with a bad one, or with an unsigned one', async () => {
    const server = app.getHttpServer();
    expect((await request(server).get('/my-session')).body.code).toBe('session_required');
    expect(
      (await request(server).get('/my-session').set('Authorization', 'Bearer x.y.z')).body.code,
    ).toBe('invalid_session');
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"kind":"identified","mbx":"default","sub":"ann@example.com"}').toString('base64url')}.`;
    const response = await request(server)
      .get('/my-session')
      .set('Authorization', `Bearer ${unsigned}`);
    expect(response.status).toBe(401);
  });

  it('takes a token from ?token= on the customer event stream only (URLs end up in logs)', async () => {
    const session = await request(app.getHttpServer())
      .post('/helper/widget/session')
      .send({})
      .expect(200);
    const token = session.body.token as string;
    const onHostRoute = await request(app.getHttpServer()).get(`/my-session?token=${token}`);
    expect(onHostRoute.status).toBe(401);
    const onChatRoute = await request(app.getHttpServer()).get(
      `/helper/conversations?token=${token}`,
    );
    expect(onChatRoute.status).toBe(401);
    await request(app.getHttpServer())
      .get('/my-session')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
  });

  it('refuses anonymous tokens issued before allowAnonymous was turned off, on every route', async () => {
    const server = app.getHttpServer();
    const session = await request(server).post('/helper/widget/session').send({}).expect(200);
    const bearer = { Authorization: `Bearer ${session.body.token as string}` };
    await request(server).get('/helper/conversations').set(bearer).expect(200);
    await request(server)
      .patch('/helper/settings')
      .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
      .send({ allowAnonymous: false })
      .expect(200);
    try {
      for (const attempt of [
        request(server).get('/helper/conversations').set(bearer),
        request(server).post('/helper/conversations').set(bearer).send({ body: 'Still here?' }),
        request(server).get('/my-session').set(bearer),
      ]) {
        const answer = await attempt;
        expect(answer.status).toBe(403);
        expect(answer.body.code).toBe('anonymous_not_allowed');
      }
    } finally {
      await request(server)
        .patch('/helper/settings')
        .set({ Authorization: `Bearer ${ADMIN_TOKEN}` })
        .send({ allowAnonymous: true })
        .expect(200);
    }
  });
});
