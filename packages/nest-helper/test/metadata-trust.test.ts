import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import request from 'supertest';
import { signIdentity } from '@helperkit/core/node';
import { createApp, tempDatabasePath } from './support/app.js';
import { ADMIN_TOKEN, SECRET } from './support/secrets.js';

// Attacks on who decides a customer's metadata, over HTTP: the host (resolveCustomer), signed
// metadata, and unsigned metadata only where the host accepts it.

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };

const signedWith = (email: string, metadata: Record<string, unknown>) => {
  const { metadata: customerMetadata, ...identity } = signIdentity({ email, metadata }, SECRET);
  return { ...identity, customerMetadata };
};

describe('customer metadata the browser sends', () => {
  let app: INestApplication;
  let server: ReturnType<INestApplication['getHttpServer']>;
  const session = (body: object) => request(server).post('/helper/widget/session').send(body);
  const staffCustomers = async () =>
    (
      await request(server).get('/helper/staff/conversations?limit=100').set(staff).expect(200)
    ).body.conversations.map((c: { customer: unknown }) => c.customer);

  beforeAll(async () => {
    app = await createApp();
    server = app.getHttpServer();
    await request(server)
      .patch('/helper/settings')
      .set(staff)
      .send({ displayMode: 'revenue_based', minValue: 1000 })
      .expect(200);
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses unsigned metadata, says how to sign it, and stores nothing', async () => {
    const attack = await session({
      ...signIdentity({ email: 'ann@example.com' }, SECRET),
      customerMetadata: { value: 999_999, links: { 'CRM profile': 'https://crm.examp1e.com/x' } },
    }).expect(400);
    expect(attack.body).toMatchObject({ code: 'unsigned_metadata' });
    expect(attack.body.message).toMatch(/signIdentity\(\{ email, metadata \}, secret\)/);
    // Ann's next, honest session: the attacker's value was never stored.
    const honest = await session(signIdentity({ email: 'ann@example.com' }, SECRET)).expect(200);
    expect(honest.body.showWidget).toBe(false);
  });

  it('refuses signed metadata changed after signing (401 metadata_mismatch)', async () => {
    const signed = signedWith('bo@example.com', { value: 10, name: 'Bo' });
    const tampered = await session({
      ...signed,
      customerMetadata: { ...signed.customerMetadata, value: 999_999 },
    }).expect(401);
    expect(tampered.body.code).toBe('metadata_mismatch');
    const moved = await session({
      ...signIdentity({ email: 'cy@example.com' }, SECRET),
      customerMetadata: signed.customerMetadata,
      metadataHash: signed.metadataHash,
    }).expect(401);
    expect(moved.body.code).toBe('metadata_mismatch');
  });

  it('takes signed metadata as sent (untrimmed) and lets it decide visibility', async () => {
    const accepted = await session(
      signedWith('di@example.com', { value: 5000, name: '  Di  ', context: 'Plan: team' }),
    ).expect(200);
    expect(accepted.body).toMatchObject({ showWidget: true, customer: { name: 'Di' } });
  });

  it('agrees with core for any metadata, and breaks when any one field changes', async () => {
    const text = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
      .filter((value) => value.trim() !== '' && !/[\u0000-\u001f\u007f-\u009f]/.test(value));
    const metadata = fc.record(
      {
        value: fc.oneof(fc.nat({ max: 10_000_000 }), fc.double({ min: 0, max: 1e6, noNaN: true })),
        name: text,
        context: text,
        links: fc.dictionary(
          fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,10}$/),
          fc.webUrl({ validSchemes: ['https'] }),
          { maxKeys: 3 },
        ),
      },
      { requiredKeys: [] },
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(metadata, async (given) => {
        const email = `prop-${++run}@example.com`;
        const signed = signedWith(email, given);
        await session(signed).expect(200);
        const changed = { ...signed.customerMetadata, name: `${String(given.name ?? '')}x` };
        const answer = await session({ ...signed, customerMetadata: changed });
        expect(answer.status).toBe(401);
      }),
      { numRuns: 25 },
    );
  });

  it('never lets client-set metadata (from before signing) decide visibility', async () => {
    const database = tempDatabasePath();
    const accepting = await createApp({ database, clientMetadata: 'accept' });
    await request(accepting.getHttpServer())
      .patch('/helper/settings')
      .set(staff)
      .send({ displayMode: 'revenue_based', minValue: 1000 })
      .expect(200);
    const client = await request(accepting.getHttpServer())
      .post('/helper/widget/session')
      .send({
        ...signIdentity({ email: 'eve@example.com' }, SECRET),
        customerMetadata: { value: 5000 },
      })
      .expect(200);
    expect(client.body.showWidget).toBe(true); // Helper's own behaviour, when the host accepts it
    await accepting.close();
    const rejecting = await createApp({ database });
    try {
      const later = await request(rejecting.getHttpServer())
        .post('/helper/widget/session')
        .send(signIdentity({ email: 'eve@example.com' }, SECRET))
        .expect(200);
      expect(later.body.showWidget).toBe(false);
    } finally {
      await rejecting.close();
    }
  });

  it('shows staff the host’s and signed metadata, context included', async () => {
    const signed = signedWith('fay@example.com', {
      name: 'Fay',
      context: 'Order #123 is late',
      links: { Admin: 'https://admin.example.com/fay' },
    });
    const { body } = await session(signed).expect(200);
    await request(server)
      .post('/helper/conversations')
      .set('Authorization', `Bearer ${body.token as string}`)
      .send({ body: 'Hello' })
      .expect(201);
    expect(await staffCustomers()).toContainEqual(
      expect.objectContaining({
        email: 'fay@example.com',
        name: 'Fay',
        context: 'Order #123 is late',
      }),
    );
  });
});

describe('owners compare with ASCII-only case folding', () => {
  it('never lets a Kelvin-sign address read Kate’s conversations', async () => {
    const app = await createApp();
    const server = app.getHttpServer();
    try {
      const kate = await request(server)
        .post('/helper/widget/session')
        .send(signIdentity({ email: 'kate@example.com' }, SECRET))
        .expect(200);
      const started = await request(server)
        .post('/helper/conversations')
        .set('Authorization', `Bearer ${kate.body.token as string}`)
        .send({ body: 'My card number ends in 4242' })
        .expect(201);
      const kelvin = await request(server)
        .post('/helper/widget/session')
        .send(signIdentity({ email: '\u212Aate@example.com' }, SECRET))
        .expect(200);
      const bearer = { Authorization: `Bearer ${kelvin.body.token as string}` };
      const list = await request(server).get('/helper/conversations').set(bearer).expect(200);
      expect(list.body.conversations).toEqual([]);
      await request(server)
        .get(`/helper/conversations/${started.body.conversation.id as string}/messages`)
        .set(bearer)
        .expect(404);
      // ASCII case still folds: KATE@EXAMPLE.COM is Kate.
      const upper = await request(server)
        .post('/helper/widget/session')
        .send(signIdentity({ email: 'KATE@example.com' }, SECRET))
        .expect(200);
      const hers = await request(server)
        .get('/helper/conversations')
        .set('Authorization', `Bearer ${upper.body.token as string}`)
        .expect(200);
      expect(hers.body.conversations).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
