import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { signIdentity } from '@helperkit/core/node';
import request from 'supertest';
import { HelperConfigurationError } from '../src/index.js';
import { HelperTestingModule, signTestIdentity, testStaffHeaders } from '../src/testing/index.js';
import { initApp, testHttpAdapter } from './support/platform.js';
import { SECRET } from './support/secrets.js';

describe('@helperkit/nest/testing', () => {
  let app: INestApplication;
  let server: ReturnType<INestApplication['getHttpServer']>;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [HelperTestingModule.forRoot()],
    }).compile();
    app = moduleRef.createNestApplication(testHttpAdapter(), { logger: false });
    await initApp(app);
    server = app.getHttpServer();
  });

  afterAll(() => app?.close());

  it('verifies identities signed with signTestIdentity, and no others', async () => {
    const { metadata, ...identity } = signTestIdentity('ann@example.com', {
      metadata: { name: 'Ann' },
    });
    const session = await request(server)
      .post('/helper/widget/session')
      .send({ ...identity, customerMetadata: metadata })
      .expect(200);
    expect(session.body).toMatchObject({ showWidget: true, customer: { name: 'Ann' } });

    await request(server)
      .post('/helper/widget/session')
      .send(signIdentity({ email: 'ann@example.com' }, SECRET))
      .expect(401);
  });

  it('lets in staff with testStaffHeaders only', async () => {
    await request(server).get('/helper/settings').expect(401);
    await request(server)
      .get('/helper/settings')
      .set({ authorization: 'Bearer guessed' })
      .expect(401);
    await request(server)
      .patch('/helper/settings')
      .set(testStaffHeaders())
      .send({ title: 'Test support' })
      .expect(200);
  });

  it('keeps the chat: a customer starts a conversation that staff then read', async () => {
    const { token } = (
      await request(server)
        .post('/helper/widget/session')
        .send(signTestIdentity('bob@example.com'))
        .expect(200)
    ).body;
    await request(server)
      .post('/helper/conversations')
      .set({ authorization: `Bearer ${token}` })
      .send({ body: 'Hello from a host test' })
      .expect(201);
    const list = await request(server)
      .get('/helper/staff/conversations')
      .set(testStaffHeaders())
      .expect(200);
    expect(list.body.conversations).toHaveLength(1);
  });
});

describe('HelperTestingModule in production', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('refuses to start', () => {
    process.env.NODE_ENV = 'production';
    expect(() => HelperTestingModule.forRoot()).toThrow(HelperConfigurationError);
    expect(() => HelperTestingModule.forRoot()).toThrow(
      /refuses to start with NODE_ENV=production/,
    );
  });
});
