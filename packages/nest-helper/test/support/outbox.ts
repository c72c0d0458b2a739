import type { INestApplication } from '@nestjs/common';
import { HELPER_DATABASE } from '../../src/index.js';
import type { SqlDatabase } from '../../src/storage/sql-database.js';
import { until } from './until.js';

/**
 * Waits until the outbox has nothing left to send. Auto-replies go out after the inbound answer,
 * so a test that counts the emails an SMTP server received first lets earlier ones arrive.
 */
export const outboxDrained = (app: INestApplication): Promise<true> =>
  until(async () => {
    const pending = await app
      .get<SqlDatabase>(HELPER_DATABASE)
      .kysely.selectFrom('helper_outbox')
      .select('id')
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return pending === undefined ? true : undefined;
  });
