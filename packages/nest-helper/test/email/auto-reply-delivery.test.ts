import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { HELPER_DATABASE } from '../../src/index.js';
import type { SqlDatabase } from '../../src/storage/sql-database.js';
import { ADMIN_TOKEN } from '../support/secrets.js';
import { testDatabase } from '../support/app.js';
import { until } from '../support/until.js';
import { startAnsweringApp } from './answering-app.js';
import { INBOUND_SECRET, MAILBOX } from './support.js';

const staff = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/**
 * A real SMTP server the test steers: it can hold every message until released, and drop the
 * connection a reply is being sent on, as a server does that restarts or times out an idle client.
 */
class SteeredSmtpServer {
  readonly recipients: string[] = [];
  readonly sockets = new Set<Socket>();
  connections = 0;
  /** How many sends in a row lose their connection at MAIL FROM. */
  dropSends = 0;
  private held: Promise<void> = Promise.resolve();
  private release: () => void = () => undefined;
  readonly server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onMailFrom: (_address, _session, callback) => {
      if (this.dropSends === 0) return callback();
      this.dropSends--;
      for (const socket of this.sockets) socket.destroy();
    },
    onData: (stream, session, callback) => {
      stream
        .on('data', () => undefined)
        .on('end', () => {
          void this.held.then(() => {
            this.recipients.push(...session.envelope.rcptTo.map((rcpt) => rcpt.address));
            callback();
          });
        });
    },
  });

  async start(): Promise<number> {
    this.server.server.on('connection', (socket: Socket) => {
      this.connections++;
      this.sockets.add(socket.once('close', () => this.sockets.delete(socket)));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.server.address() as AddressInfo).port;
  }

  /** Messages are accepted only once `open` is called. */
  hold(): void {
    this.held = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release();
  }

  stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('the auto-reply after the answer', () => {
  const smtp = new SteeredSmtpServer();
  let app: INestApplication;
  let smtpPort: number;
  let sent = 0;

  const inbound = (sender: string, to = app) =>
    request(to.getHttpServer())
      .post('/helper/email/inbound')
      .set('Authorization', `Bearer ${INBOUND_SECRET}`)
      .set('Content-Type', 'message/rfc822')
      .send(
        `From: Customer <${sender}>\r\nTo: ${MAILBOX}\r\nSubject: Where is my order?\r\n` +
          `Message-ID: <delivery-${++sent}@example.org>\r\n\r\nHello\r\n`,
      )
      .expect(200);
  const replyState = async (conversationId: string) =>
    (
      await request(app.getHttpServer())
        .get(`/helper/staff/conversations/${conversationId}/messages`)
        .set(staff)
        .expect(200)
    ).body.messages[0].email.autoReply as string;
  const outboxRows = (of: INestApplication) =>
    of
      .get<SqlDatabase>(HELPER_DATABASE)
      .kysely.selectFrom('helper_outbox')
      .select(['recipient', 'status', 'attempts'])
      // The messages are posted at once: their rows come in any order.
      .orderBy('recipient')
      .execute();
  const outboxRow = () =>
    app
      .get<SqlDatabase>(HELPER_DATABASE)
      .kysely.selectFrom('helper_outbox')
      .select(['status', 'attempts'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    smtpPort = await smtp.start();
    app = await startAnsweringApp(smtpPort, { retryDelayMs: 100 });
  });
  afterAll(async () => {
    smtp.open();
    await app.close();
    await smtp.stop();
  });
  beforeEach(() => smtp.open());

  it('answers once the reply is on disk, without waiting for the SMTP server to take it', async () => {
    smtp.hold();
    const answer = await inbound('held@example.org');
    expect(answer.body).toMatchObject({ duplicate: false, autoReply: 'queued' });
    expect(smtp.recipients).not.toContain('held@example.org');
    expect(await outboxRow()).toEqual({ status: 'pending', attempts: 0 });
    expect(await replyState(answer.body.conversationId)).toBe('queued');

    smtp.open();
    await until(async () =>
      (await replyState(answer.body.conversationId)) === 'sent' ? true : undefined,
    );
    expect(smtp.recipients.filter((to) => to === 'held@example.org')).toHaveLength(1);
    expect(await outboxRow()).toEqual({ status: 'sent', attempts: 1 });
  });

  it('keeps the sent marks of replies that went out just before the instance stopped', async () => {
    const database = await testDatabase();
    const stopping = await startAnsweringApp(smtpPort, {}, { database });
    const senders = ['stop-1@example.org', 'stop-2@example.org', 'stop-3@example.org'];
    await Promise.all(senders.map((sender) => inbound(sender, stopping)));
    await until(async () =>
      senders.every((sender) => smtp.recipients.includes(sender)) ? true : undefined,
    );
    await stopping.close();

    // Marked sent on disk: no instance sends them again once their lease ends.
    const restarted = await startAnsweringApp(smtpPort, {}, { database });
    try {
      expect(await outboxRows(restarted)).toEqual(
        senders.map((recipient) => ({ recipient, status: 'sent', attempts: 1 })),
      );
    } finally {
      await restarted.close();
    }
  });

  it('sends replies in a row over one kept-open SMTP connection', async () => {
    const before = smtp.connections;
    for (const sender of ['row-1@example.org', 'row-2@example.org', 'row-3@example.org']) {
      await inbound(sender);
      await until(async () => (smtp.recipients.includes(sender) ? true : undefined));
    }
    expect(smtp.connections - before).toBeLessThanOrEqual(1);
  });

  it.each([
    // The pool sends again at once on a new connection: one attempt for the outbox.
    { drops: 1, attempts: 1 },
    // The new connection dies too: the attempt fails, and the outbox's retry sends it.
    { drops: 2, attempts: 2 },
  ])(
    'loses no reply when its pooled connection dies $drops time(s) under it',
    async ({ drops, attempts }) => {
      const warm = `warm-${drops}@example.org`;
      await inbound(warm);
      await until(async () => (smtp.recipients.includes(warm) ? true : undefined));
      smtp.dropSends = drops;
      const dropped = `dropped-${drops}@example.org`;
      const answer = await inbound(dropped);
      await until(async () =>
        (await replyState(answer.body.conversationId)) === 'sent' ? true : undefined,
      );
      expect(smtp.recipients.filter((to) => to === dropped)).toHaveLength(1);
      expect(await outboxRow()).toEqual({ status: 'sent', attempts });
    },
  );
});
