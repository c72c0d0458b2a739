// How a host tests its own support flow with @helperkit/nest/testing, on the demo's own hook:
// the demo's `resolveCustomer` (its login cookie and customer values) decides who sees the chat
// icon once staff set a revenue threshold. No secret, no database file, no demo server.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HelperTestingModule, signTestIdentity, testStaffHeaders } from '@helperkit/nest/testing';
import request from 'supertest';
import { LOGIN_COOKIE, resolveDemoCustomer } from '../../apps/demo/server/customers.js';

describe('the demo host, tested with the testing kit', () => {
  let app: INestApplication;
  const sessionOf = (email: string) =>
    request(app.getHttpServer())
      .post('/helper/widget/session')
      .set('Cookie', `${LOGIN_COOKIE}=${encodeURIComponent(email)}`)
      .send(signTestIdentity(email))
      .expect(200);

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [HelperTestingModule.forRoot({ resolveCustomer: resolveDemoCustomer })],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    await request(app.getHttpServer())
      .patch('/helper/settings')
      .set(testStaffHeaders())
      .send({ displayMode: 'revenue_based', minValue: 1000 })
      .expect(200);
  });

  afterAll(() => app?.close());

  it('shows the chat icon to customers worth the threshold, by the values the host knows', async () => {
    // Carol is worth 5000 to the demo shop, Ann 50.
    expect((await sessionOf('carol@demo.localhost')).body).toMatchObject({
      showWidget: true,
      customer: { name: 'Carol Diaz' },
    });
    expect((await sessionOf('ann@demo.localhost')).body).toMatchObject({ showWidget: false });
  });
});
