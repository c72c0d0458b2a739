import { afterEach, describe, expect, it } from '@jest/globals';
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

  it('commits one mailbox while another holds its transaction, and the other instance gets both', async () => {
    const url = await createTestDatabase();
    const writer = await open(url);
    await new KyselySettingsStorage(writer).ensureMailboxes(['default', 'sales']);
    const listener = await open(url);
    const received: StoredEvent[] = [];
    listener.feed.watch((stored) => received.push(stored));

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let drawn!: (id: number) => void;
    const firstId = new Promise<number>((resolve) => (drawn = resolve));
    // "default" draws the lower id and keeps its transaction open...
    const slow = writer.run(async () => {
      const stored = await appendEvent(writer, event('default', 1));
      drawn(stored.id);
      await held;
    });
    const lowerId = await firstId;
    // ...while "sales" draws a higher id and commits first: it does not wait for "default".
    const fast = await writer.run(() => appendEvent(writer, event('sales', 2)));
    expect(fast.id).toBeGreaterThan(lowerId);
    await waitFor(() => received.some((stored) => stored.id === fast.id));
    release();
    await slow;
    await waitFor(() => received.length === 2);

    expect(received.map((stored) => [stored.mailbox, stored.data])).toEqual([
      ['sales', { n: 2 }],
      ['default', { n: 1 }],
    ]);
  });

  it('keeps one mailbox in commit order under concurrent writers on both instances', async () => {
    const url = await createTestDatabase();
    const first = await open(url);
    await new KyselySettingsStorage(first).ensureMailboxes(['default', 'sales']);
    const second = await open(url);
    const listener = await open(url);
    const received: StoredEvent[] = [];
    listener.feed.watch((stored) => received.push(stored));

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
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries > 500) throw new Error('the listening instance did not receive the events');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
