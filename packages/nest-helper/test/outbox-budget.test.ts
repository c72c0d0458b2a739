import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { KyselyOutboxStorage } from '../src/outbox/outbox.storage.js';
import { KyselySettingsStorage } from '../src/settings/settings.storage.js';
import type { SqlDatabase } from '../src/storage/sql-database.js';
import { bothDatabases } from './support/databases.js';

const HOUR_MS = 60 * 60 * 1000;

describe.each(bothDatabases)("%s outbox: the mailbox's hourly email budget", (_name, open) => {
  let database: SqlDatabase;
  let outbox: KyselyOutboxStorage;
  const email = (mailbox = 'default', notBefore?: Date) =>
    outbox.enqueue({
      kind: 'email',
      mailbox,
      recipient: 'ann@example.org',
      payload: {},
      notBefore,
    });
  const hourAgo = () => new Date(Date.now() - HOUR_MS);

  beforeEach(async () => {
    database = await open();
    await new KyselySettingsStorage(database).ensureMailboxes(['default', 'sales']);
    outbox = new KyselyOutboxStorage(database);
  });
  afterEach(async () => {
    await database.close();
  });

  it('counts pending, sent, retried and given-up emails of the mailbox, never cancelled ones', async () => {
    await email(); // pending
    await outbox.complete(await email(), { status: 'sent', at: new Date() });
    const retried = await email();
    await outbox.complete(retried, {
      status: 'failed',
      error: 'greylisted',
      retryAt: new Date(Date.now() + 10 * 60_000),
    });
    await outbox.complete(await email(), { status: 'failed', error: '550', retryAt: null });
    await outbox.cancel(await email(), 'read meanwhile');
    await email('sales');
    await outbox.enqueue({ kind: 'webhook', mailbox: 'default', payload: {} });
    // Due later: counts only from when it is due.
    await email('default', new Date(Date.now() + 60_000));

    expect(await outbox.countSince('default', hourAgo())).toBe(4);
    expect(await outbox.countSince('default', hourAgo(), { except: retried })).toBe(3);
    expect(await outbox.countSince('sales', hourAgo())).toBe(1);
  });

  it('stops counting at `upTo`: whether the budget is spent, not how far beyond', async () => {
    for (let i = 0; i < 5; i++) await email();
    await outbox.cancel(await email(), 'read meanwhile');
    expect(await outbox.countSince('default', hourAgo(), { upTo: 3 })).toBe(3);
    expect(await outbox.countSince('default', hourAgo(), { upTo: 5 })).toBe(5);
    // Under the cap the answer is the count itself, cancelled entries still left out.
    expect(await outbox.countSince('default', hourAgo(), { upTo: 10 })).toBe(5);
  });

  it('leaves out emails queued before the hour began', async () => {
    const old = await email();
    await outbox.complete(old, { status: 'sent', at: new Date() });
    const longAgo = new Date(Date.now() - 2 * HOUR_MS).toISOString();
    await database.kysely
      .updateTable('helper_outbox')
      .set({ created_at: longAgo, next_attempt_at: longAgo })
      .where('id', '=', old)
      .execute();
    await email();
    expect(await outbox.countSince('default', hourAgo())).toBe(1);
  });
});
