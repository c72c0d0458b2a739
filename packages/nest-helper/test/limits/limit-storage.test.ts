import { afterEach, describe, expect, it } from '@jest/globals';
import { KyselyLimitStorage } from '../../src/limits/limit.storage.js';
import { openDatabase } from '../../src/storage/open-database.js';
import type { SqlDatabase } from '../../src/storage/sql-database.js';
import { tempDatabasePath } from '../support/app.js';
import { createTestDatabase, onPostgres } from '../support/postgres.js';

const START = new Date('2031-03-01T10:00:00Z');
const END = new Date('2031-03-01T11:00:00Z');
const window = (limit: number) => ({
  scope: 'sessions',
  key: '192.0.2.1',
  windowStart: START,
  windowEnd: END,
  limit,
});

describe('KyselyLimitStorage', () => {
  const opened: SqlDatabase[] = [];
  const open = async (location?: string) => {
    const database = await openDatabase(
      location !== undefined
        ? onPostgres
          ? { kind: 'postgres', url: location }
          : { kind: 'sqlite', path: location }
        : onPostgres
          ? { kind: 'postgres', url: await createTestDatabase() }
          : { kind: 'sqlite', path: tempDatabasePath() },
    );
    opened.push(database);
    return database;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((database) => database.close()));
  });

  it('counts concurrent hits from two connections exactly up to the limit', async () => {
    const location = onPostgres ? await createTestDatabase() : tempDatabasePath();
    const stores = [
      new KyselyLimitStorage(await open(location)),
      new KyselyLimitStorage(await open(location)),
    ];
    const counted = await Promise.all(
      Array.from({ length: 40 }, (_, i) => stores[i % 2]!.hit(window(7))),
    );
    expect(counted.filter(Boolean)).toHaveLength(7);
  });

  it('deletes ended windows and lapsed stream slots when swept, and keeps running ones', async () => {
    const database = await open();
    const storage = new KyselyLimitStorage(database);
    await storage.hit(window(1));
    await storage.hit({ ...window(1), key: '192.0.2.2', windowEnd: new Date(END.getTime() + 1) });
    await storage.openStream(
      { id: 'lapsed', instanceId: 'gone', owner: 'default visitor:1', ip: '192.0.2.1' },
      { perOwner: 10, perIp: 10 },
      START,
      END,
    );
    await storage.sweep(END);

    const db = database.kysely.withTables<{
      helper_limit_windows: { limit_key: string };
      helper_stream_slots: { stream_id: string };
    }>();
    const windows = await db.selectFrom('helper_limit_windows').select('limit_key').execute();
    expect(windows.map((row) => row.limit_key)).toEqual(['192.0.2.2']);
    expect(await db.selectFrom('helper_stream_slots').select('stream_id').execute()).toEqual([]);
    // The swept window's key starts afresh.
    expect(await storage.hit(window(1))).toBe(true);
  });
});
