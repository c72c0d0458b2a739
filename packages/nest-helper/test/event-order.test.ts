import { afterEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { StoredEvent } from '../src/storage/event-feed.js';
import { appendEvent } from '../src/storage/event-log.js';
import { openPostgresDatabase } from '../src/storage/postgres.js';
import type { SqlDatabase } from '../src/storage/sql-database.js';
import { KyselySettingsStorage } from '../src/settings/settings.storage.js';
import { createTestDatabase } from './support/postgres.js';

// Event ids are ordered per mailbox on PostgreSQL: mailboxes never wait for each other, and an
// instance that listens still hands on every event once, even when ids of two mailboxes commit
// out of order.
describe('PostgreSQL event order across mailboxes, two instances', () => {
  const opened: SqlDatabase[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.close()));
  });

  const open = async (url: string) => {
    const database = await openPostgresDatabase(url);
    opened.push(database);
    return database;
  };

  const event = (mailbox: string, n: number) => ({
    mailbox,
    owner: 'email:ann@example.com',
    type: 'test',
    data: { n },
  });

  /** Every event an instance hands on, in the order it does. */
  const watched = (database: SqlDatabase) => {
    const received: StoredEvent[] = [];
    database.feed.watch((stored) => received.push(stored));
    return received;
  };

  /**
   * Appends an event in a transaction that stays open until `release()`: `id` answers once the
   * event's id is drawn, `committed` once the transaction has ended.
   */
  const appendAndHold = (database: SqlDatabase, held: ReturnType<typeof event>) => {
    let release!: () => void;
    const releasing = new Promise<void>((resolve) => (release = resolve));
    let drawn!: (id: number) => void;
    const id = new Promise<number>((resolve) => (drawn = resolve));
    const committed = database.run(async () => {
      drawn((await appendEvent(database, held)).id);
      await releasing;
    });
    return { id, release, committed };
  };

  it('commits one mailbox while another holds its transaction, and the other instance gets both', async () => {
    const url = await createTestDatabase();
    const writer = await open(url);
    await new KyselySettingsStorage(writer).ensureMailboxes(['default', 'sales']);
    const listener = await open(url);
    const received = watched(listener);

    // "default" draws the lower id and keeps its transaction open...
    const slow = appendAndHold(writer, event('default', 1));
    const lowerId = await slow.id;
    // ...while "sales" draws a higher id and commits first: it does not wait for "default".
    const fast = await writer.run(() => appendEvent(writer, event('sales', 2)));
    expect(fast.id).toBeGreaterThan(lowerId);
    await waitFor(() => received.some((stored) => stored.id === fast.id));
    slow.release();
    await slow.committed;
    await waitFor(() => received.length === 2);

    expect(received.map((stored) => [stored.mailbox, stored.data])).toEqual([
      ['sales', { n: 2 }],
      ['default', { n: 1 }],
    ]);
  });

  it("makes a mailbox's later transaction, on another instance, wait for the earlier one's commit", async () => {
    const url = await createTestDatabase();
    const first = await open(url);
    await new KyselySettingsStorage(first).ensureMailboxes(['default']);
    const second = await open(url);
    const listener = await open(url);
    const received = watched(listener);

    const earlier = appendAndHold(first, event('default', 1));
    const earlierId = await earlier.id;
    // Without the ordering lock this one would draw the next id and commit first.
    const later = second.run(() => appendEvent(second, event('default', 2)));
    await waitFor(async () => (await advisoryLockWaiters(url)) === 1);
    earlier.release();
    await earlier.committed;
    const laterId = (await later).id;
    await waitFor(() => received.length === 2);

    expect(laterId).toBeGreaterThan(earlierId);
    expect(received.map((stored) => stored.id)).toEqual([earlierId, laterId]);
  });

  it('keeps one mailbox in commit order under concurrent writers on both instances', async () => {
    const url = await createTestDatabase();
    const first = await open(url);
    await new KyselySettingsStorage(first).ensureMailboxes(['default', 'sales']);
    const second = await open(url);
    const listener = await open(url);
    const received = watched(listener);

    const writes = Array.from({ length: 40 }, (_, n) => {
      const database = n % 2 === 0 ? first : second;
      const mailbox = n % 4 < 2 ? 'default' : 'sales';
      return database.run(() => appendEvent(database, event(mailbox, n)));
    });
    const stored = await Promise.all(writes);
    await waitFor(() => received.length === stored.length);

    for (const mailbox of ['default', 'sales']) {
      const ids = received.filter((e) => e.mailbox === mailbox).map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(stored.filter((e) => e.mailbox === mailbox).length);
    }
  });

  it('hands on an event too large for a notification in its place, with all its data', async () => {
    const url = await createTestDatabase();
    const writer = await open(url);
    await new KyselySettingsStorage(writer).ensureMailboxes(['default']);
    const listener = await open(url);
    const received = watched(listener);

    // Past the 8,000 bytes a notification can carry: it names the event, the listener reads it.
    const large = { ...event('default', 2), data: { n: 2, text: 'é'.repeat(6000) } };
    for (const write of [event('default', 1), large, event('default', 3)]) {
      await writer.run(() => appendEvent(writer, write));
    }
    await waitFor(() => received.length === 3);

    expect(received.map((stored) => stored.data)).toEqual([{ n: 1 }, large.data, { n: 3 }]);
    expect(received.map((stored) => stored.mailbox)).toEqual(['default', 'default', 'default']);
  });
});

async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let tries = 0; !(await condition()); tries++) {
    if (tries > 500) throw new Error('the expected state was not reached');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** How many sessions of the test's database wait for an advisory lock. */
async function advisoryLockWaiters(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ waiting: number }>(
      `select count(*)::int as waiting from pg_stat_activity
       where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory'`,
    );
    return rows[0]!.waiting;
  } finally {
    await client.end();
  }
}
