import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DEFAULT_SETTINGS } from '@helperkit/core';
import { HelperModule } from '../src/index.js';
import { StaffTokenGuard, createApp, startApp, tempDatabasePath } from './support/app.js';
import { ADMIN_TOKEN, SECRET } from './support/secrets.js';

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };

describe('settings endpoints', () => {
  let app: INestApplication;
  beforeEach(async () => {
    app = await createApp({ mailboxes: ['sales'] });
  });
  afterEach(async () => {
    await app.close();
  });

  it('answers the defaults of a new mailbox', async () => {
    const response = await request(app.getHttpServer())
      .get('/helper/settings')
      .set(staff)
      .expect(200);
    expect(response.body).toEqual(DEFAULT_SETTINGS);
  });

  it('applies a partial update and keeps the other settings', async () => {
    await request(app.getHttpServer())
      .patch('/helper/settings')
      .set(staff)
      .send({ displayMode: 'revenue_based', minValue: 250 })
      .expect(200, { ...DEFAULT_SETTINGS, displayMode: 'revenue_based', minValue: 250 });
    const response = await request(app.getHttpServer())
      .patch('/helper/settings')
      .set(staff)
      .send({ title: ' Help ' });
    expect(response.body).toEqual({
      ...DEFAULT_SETTINGS,
      displayMode: 'revenue_based',
      minValue: 250,
      title: 'Help',
    });
  });

  it.each<[string, unknown, string[]]>([
    ['an unknown display mode', { displayMode: 'sometimes' }, ['displayMode:invalid_choice']],
    ['a negative threshold', { minValue: -5 }, ['minValue:negative']],
    ['a threshold sent as text', { minValue: '5' }, ['minValue:wrong_type']],
    ['a null threshold', { minValue: null }, ['minValue:wrong_type']],
    ['an empty title', { title: '' }, ['title:too_short']],
    ['a 101-character title', { title: 'x'.repeat(101) }, ['title:too_long']],
    [
      'an insecure widget host',
      { widgetHost: 'http://shop.example.com' },
      ['widgetHost:insecure_url'],
    ],
    ['a relative widget host', { widgetHost: '/chat' }, ['widgetHost:invalid_url']],
    [
      'auto-response without a widget host',
      { autoRespondEmailToChat: true },
      ['widgetHost:required'],
    ],
    ['a string boolean', { allowAnonymous: 'false' }, ['allowAnonymous:wrong_type']],
    ['an unknown field', { hmacSecrets: ['x'] }, ['hmacSecrets:unknown_field']],
    ['two bad fields', { minValue: -1, title: '' }, ['minValue:negative', 'title:too_short']],
  ])('refuses %s field by field and changes nothing', async (_label, patch, expected) => {
    const response = await request(app.getHttpServer())
      .patch('/helper/settings')
      .set(staff)
      .send(patch as object);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      statusCode: 400,
      code: 'validation_failed',
      message: expect.any(String),
    });
    expect(
      response.body.fields.map((f: { field: string; code: string }) => `${f.field}:${f.code}`),
    ).toEqual(expected);
    await request(app.getHttpServer())
      .get('/helper/settings')
      .set(staff)
      .expect(200, DEFAULT_SETTINGS);
  });

  it('refuses a body that is not a JSON object', async () => {
    const response = await request(app.getHttpServer())
      .patch('/helper/settings')
      .set(staff)
      .set('Content-Type', 'application/json')
      .send('[1,2]');
    expect(response.status).toBe(400);
    await request(app.getHttpServer())
      .get('/helper/settings')
      .set(staff)
      .expect(200, DEFAULT_SETTINGS);
  });

  it('serves other mailboxes by slug, and 404 for an unknown one', async () => {
    await request(app.getHttpServer())
      .patch('/helper/mailboxes/sales/settings')
      .set(staff)
      .send({ title: 'Sales' })
      .expect(200);
    await request(app.getHttpServer())
      .get('/helper/mailboxes/sales/settings')
      .set(staff)
      .expect(200, {
        ...DEFAULT_SETTINGS,
        title: 'Sales',
      });
    await request(app.getHttpServer())
      .get('/helper/settings')
      .set(staff)
      .expect(200, DEFAULT_SETTINGS);
    const missing = await request(app.getHttpServer())
      .get('/helper/mailboxes/nope/settings')
      .set(staff);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ statusCode: 404, code: 'not_found' });
    await request(app.getHttpServer())
      .patch('/helper/mailboxes/nope/settings')
      .set(staff)
      .send({ title: 'x' })
      .expect(404);
    await request(app.getHttpServer())
      .get('/helper/mailboxes/..%2F..%2Fetc/settings')
      .set(staff)
      .expect(404);
  });

  it('is closed to anyone the admin guard does not let in', async () => {
    const anonymous = await request(app.getHttpServer()).get('/helper/settings');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ statusCode: 401, code: 'unauthorized' });
    const wrong = await request(app.getHttpServer())
      .patch('/helper/settings')
      .set({ Authorization: 'Bearer nope' })
      .send({ title: 'Pwned' });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({ statusCode: 403, code: 'forbidden' });
    await request(app.getHttpServer())
      .get('/helper/settings')
      .set(staff)
      .expect(200, DEFAULT_SETTINGS);
  });

  it('loses no field when two updates of different fields race', async () => {
    const server = app.getHttpServer();
    const patches = [
      { displayMode: 'revenue_based' },
      { minValue: 42 },
      { title: 'Concierge' },
      { allowAnonymous: false },
      { widgetHost: 'https://shop.example.com/help' },
    ];
    const responses = await Promise.all(
      patches.map((patch) => request(server).patch('/helper/settings').set(staff).send(patch)),
    );
    expect(responses.map((response) => response.status)).toEqual(patches.map(() => 200));
    await request(server)
      .get('/helper/settings')
      .set(staff)
      .expect(200, { ...DEFAULT_SETTINGS, ...Object.assign({}, ...patches) });
  });
});

describe('settings durability', () => {
  it('survives a restart on the same file', async () => {
    const database = tempDatabasePath();
    const options = { hmacSecrets: [SECRET], adminGuard: StaffTokenGuard, database };
    const first = await startApp([HelperModule.forRoot(options)]);
    await request(first.getHttpServer())
      .patch('/helper/settings')
      .set(staff)
      .send({ minValue: 99, title: 'Kept' })
      .expect(200);
    await first.close();

    const second = await startApp([HelperModule.forRoot(options)]);
    await request(second.getHttpServer())
      .get('/helper/settings')
      .set(staff)
      .expect(200, { ...DEFAULT_SETTINGS, minValue: 99, title: 'Kept' });
    await second.close();
  });
});
