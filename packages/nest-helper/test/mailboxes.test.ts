import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ForbiddenException,
  Injectable,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import request from 'supertest';
import { signIdentity, verifyIdentity } from '@helperkit/core/node';
import { getHelperMailbox } from '../src/index.js';
import { INBOUND_SECRET } from './email/support.js';
import { helperModules, startApp, testDatabase } from './support/app.js';
import { ADMIN_TOKEN, OTHER_SECRET, SECRET } from './support/secrets.js';

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** The host's guard: staff in, and `?mailbox=vip` only for the VIP team's token. */
@Injectable()
class TeamGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{
      headers: { authorization?: string };
      query?: unknown;
    }>();
    const mailbox = getHelperMailbox(request);
    if (request.headers.authorization === 'Bearer vip-team') return mailbox === 'vip';
    if (request.headers.authorization !== `Bearer ${ADMIN_TOKEN}`) return false;
    if (mailbox === 'vip') throw new ForbiddenException('Only the VIP team.');
    return true;
  }
}

describe('two mailboxes with their own secrets and addresses', () => {
  let app: INestApplication;
  let server: ReturnType<INestApplication['getHttpServer']>;

  const session = async (email: string, secret: string, mailbox?: string) =>
    request(server)
      .post('/helper/widget/session')
      .send({ ...signIdentity({ email }, secret), ...(mailbox ? { mailbox } : {}) });
  const tokenFor = async (email: string, secret: string, mailbox?: string) =>
    ((await session(email, secret, mailbox)).body as { token: string }).token;
  const start = (token: string, body: string) =>
    request(server).post('/helper/conversations').set(bearer(token)).send({ body });
  const mail = (to: string, id: string, query = '') =>
    request(server)
      .post(`/helper/email/inbound${query}`)
      .set('Authorization', `Bearer ${INBOUND_SECRET}`)
      .set('Content-Type', 'message/rfc822')
      .send(
        'Authentication-Results: mx.example.com; dmarc=pass header.from=example.org\r\n' +
          `From: Kim <kim@example.org>\r\nTo: ${to}\r\nSubject: Order ${id}\r\n` +
          `Message-ID: <${id}@example.org>\r\n\r\nHello about ${id}\r\n`,
      );
  const staffList = (mailbox?: string) =>
    request(server)
      .get(`/helper/staff/conversations${mailbox ? `?mailbox=${mailbox}` : ''}`)
      .set(staff);

  beforeAll(async () => {
    app = await startApp(
      helperModules(
        {
          hmacSecrets: [SECRET],
          adminGuard: TeamGuard,
          database: await testDatabase(),
          mailboxes: [
            { slug: 'sales', hmacSecrets: [OTHER_SECRET], emailAddress: 'sales@example.com' },
            'vip',
          ],
        },
        {
          address: 'support@example.com',
          smtp: 'smtp://127.0.0.1:9',
          inboundSecret: INBOUND_SECRET,
          trustedAuthServIds: ['mx.example.com'],
        },
      ),
    );
    server = app.getHttpServer();
  });
  afterAll(async () => {
    await app.close();
  });

  it('verifies an identity only with the secret of the mailbox it is for', async () => {
    await session('ann@example.com', OTHER_SECRET, 'sales').then((r) => expect(r.status).toBe(200));
    await session('ann@example.com', SECRET, 'sales').then((r) => expect(r.status).toBe(401));
    await session('ann@example.com', OTHER_SECRET).then((r) => expect(r.status).toBe(401));
    await session('ann@example.com', SECRET, 'nope').then((r) => expect(r.status).toBe(404));
  });

  it('keeps each mailbox’s conversations apart, for the same customer too', async () => {
    const inDefault = await tokenFor('bo@example.com', SECRET);
    const inSales = await tokenFor('bo@example.com', OTHER_SECRET, 'sales');
    const own = await start(inDefault, 'A question for support').expect(201);
    const other = await start(inSales, 'A question for sales').expect(201);
    const list = async (token: string) =>
      (
        (await request(server).get('/helper/conversations').set(bearer(token)).expect(200))
          .body as { conversations: { id: string }[] }
      ).conversations.map((conversation) => conversation.id);
    expect(await list(inDefault)).toEqual([own.body.conversation.id]);
    expect(await list(inSales)).toEqual([other.body.conversation.id]);
    await request(server)
      .get(`/helper/conversations/${own.body.conversation.id}/messages`)
      .set(bearer(inSales))
      .expect(404);
    await request(server)
      .post(`/helper/conversations/${own.body.conversation.id}/messages`)
      .set(bearer(inSales))
      .send({ body: 'sneaking in', clientId: 'x-1' })
      .expect(404);
  });

  it('refuses a session token whose mailbox was rewritten', async () => {
    const token = await tokenFor('cy@example.com', OTHER_SECRET, 'sales');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as object;
    const moved = Buffer.from(JSON.stringify({ ...claims, mbx: 'default' })).toString('base64url');
    const answer = await request(server)
      .get('/helper/conversations')
      .set(bearer(`${header}.${moved}.${signature}`))
      .expect(401);
    expect(answer.body.code).toBe('invalid_session');
  });

  it('shows staff one mailbox at a time, and 404 for a conversation of another', async () => {
    const customer = await tokenFor('di@example.com', OTHER_SECRET, 'sales');
    const started = await start(customer, 'Pricing for 40 seats?').expect(201);
    const id = started.body.conversation.id as string;
    const ids = async (mailbox?: string) =>
      (
        (await staffList(mailbox).expect(200)).body as { conversations: { id: string }[] }
      ).conversations.map((conversation) => conversation.id);
    expect(await ids('sales')).toContain(id);
    expect(await ids()).not.toContain(id);
    await request(server).get(`/helper/staff/conversations/${id}/messages`).set(staff).expect(404);
    await request(server)
      .post(`/helper/staff/conversations/${id}/messages`)
      .set(staff)
      .send({ body: 'wrong mailbox' })
      .expect(404);
    await request(server)
      .get(`/helper/staff/conversations/${id}/messages?mailbox=sales`)
      .set(staff)
      .expect(200);
    await staffList('nope').expect(404);
  });

  it('lets the host’s guard decide who acts on which mailbox (getHelperMailbox)', async () => {
    await staffList('vip').expect(403);
    await request(server)
      .get('/helper/staff/conversations?mailbox=vip')
      .set('Authorization', 'Bearer vip-team')
      .expect(200);
    await request(server)
      .get('/helper/staff/conversations')
      .set('Authorization', 'Bearer vip-team')
      .expect(403);
  });

  it('keeps settings per mailbox', async () => {
    await request(server)
      .patch('/helper/mailboxes/sales/settings')
      .set(staff)
      .send({ title: 'Sales' })
      .expect(200);
    expect((await request(server).get('/helper/settings').set(staff)).body.title).toBe('Support');
    expect(
      (await request(server).get('/helper/mailboxes/sales/settings').set(staff)).body.title,
    ).toBe('Sales');
    const session = await request(server)
      .post('/helper/widget/session')
      .send({ ...signIdentity({ email: 'ed@example.com' }, OTHER_SECRET), mailbox: 'sales' })
      .expect(200);
    expect(session.body.title).toBe('Sales');
  });

  it('puts mail in the mailbox of its recipient address, or the one ?mailbox= names', async () => {
    const toSales = await mail('Sales <sales@example.com>', 'mb-1').expect(200);
    const toSupport = await mail('support@example.com', 'mb-2').expect(200);
    const named = await mail('someone@elsewhere.example', 'mb-3', '?mailbox=vip').expect(200);
    const ids = async (mailbox: string, token = ADMIN_TOKEN) =>
      (
        (
          await request(server)
            .get(`/helper/staff/conversations?mailbox=${mailbox}`)
            .set('Authorization', `Bearer ${token}`)
            .expect(200)
        ).body as { conversations: { id: string }[] }
      ).conversations.map((conversation) => conversation.id);
    expect(await ids('sales')).toContain(toSales.body.conversationId);
    expect(await ids('default')).toContain(toSupport.body.conversationId);
    expect(await ids('default')).not.toContain(toSales.body.conversationId);
    expect(await ids('vip', 'vip-team')).toEqual([named.body.conversationId]);
    // A customer of the default mailbox never sees the sales mail, though it is from them.
    const kim = await tokenFor('kim@example.org', SECRET);
    const mine = await request(server).get('/helper/conversations').set(bearer(kim)).expect(200);
    const kimIds = (mine.body as { conversations: { id: string }[] }).conversations.map(
      (conversation) => conversation.id,
    );
    expect(kimIds).toContain(toSupport.body.conversationId);
    expect(kimIds).not.toContain(toSales.body.conversationId);
  });

  it('signs GET /widget/identity?mailbox= with that mailbox’s current secret', async () => {
    const { createApp } = await import('./support/app.js');
    const host = await createApp({
      mailboxes: [{ slug: 'sales', hmacSecrets: [OTHER_SECRET] }],
    });
    try {
      const user = { 'x-user': JSON.stringify({ email: 'fay@example.com' }) };
      const sales = await request(host.getHttpServer())
        .get('/helper/widget/identity?mailbox=sales')
        .set(user)
        .expect(200);
      expect(verifyIdentity(sales.body, [OTHER_SECRET]).ok).toBe(true);
      expect(verifyIdentity(sales.body, [SECRET]).ok).toBe(false);
      const plain = await request(host.getHttpServer())
        .get('/helper/widget/identity')
        .set(user)
        .expect(200);
      expect(verifyIdentity(plain.body, [SECRET]).ok).toBe(true);
      await request(host.getHttpServer())
        .get('/helper/widget/identity?mailbox=nope')
        .set(user)
        .expect(404);
    } finally {
      await host.close();
    }
  });
});
