import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { HELPER_DATABASE } from '../../src/index.js';
import type { SqlDatabase } from '../../src/storage/sql-database.js';
import { startAnsweringApp } from './answering-app.js';
import { INBOUND_SECRET } from './support.js';

describe('an SMTP 5xx answer', () => {
  let smtp: SMTPServer;
  let app: INestApplication;
  let attempts = 0;

  beforeAll(async () => {
    // A real SMTP server that refuses every recipient for good: 550 mailbox unavailable.
    smtp = new SMTPServer({
      disabledCommands: ['AUTH', 'STARTTLS'],
      disableReverseLookup: true,
      logger: false,
      onRcptTo(_address, _session, callback) {
        attempts++;
        const error = Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 });
        callback(error);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    app = await startAnsweringApp(port, { retryDelayMs: 100 });
  });
  afterAll(async () => {
    await app.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('is final: the reply is marked failed after that one attempt, never retried', async () => {
    const answer = await request(app.getHttpServer())
      .post('/helper/email/inbound')
      .set('Authorization', `Bearer ${INBOUND_SECRET}`)
      .set('Content-Type', 'message/rfc822')
      .send(
        'From: Gone <gone@example.org>\r\nTo: support@example.com\r\nSubject: Hi\r\n' +
          'Message-ID: <gone-1@example.org>\r\n\r\nHello\r\n',
      )
      .expect(200);
    expect(answer.body.autoReply).toBe('queued');
    // Several poll rounds and retry delays pass: a retry would show as a second attempt.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(attempts).toBe(1);
    const row = await app
      .get<SqlDatabase>(HELPER_DATABASE)
      .kysely.selectFrom('helper_outbox')
      .select(['status', 'attempts', 'last_error'])
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.last_error).toMatch(/No such user/);
  });
});
