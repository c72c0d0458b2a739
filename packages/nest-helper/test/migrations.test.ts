import { describe, expect, it } from '@jest/globals';
import { Kysely, Migrator, SqliteDialect, type SqliteDatabase } from 'kysely';
import Database from 'libsql';
import { helperMigrations } from '../src/storage/migrations/index.js';
import type { HelperDatabase } from '../src/storage/schema.js';
import { openSqliteDatabase } from '../src/storage/sqlite.js';
import { tempDatabasePath } from './support/app.js';
import { storesOf } from './support/stores.js';

const at = '2026-11-01T00:00:00.000Z';

/** A database as the previous release left it: migrated up to `003-inbound-email` only. */
async function databaseOfThePreviousRelease(path: string) {
  const db = new Kysely<HelperDatabase>({
    dialect: new SqliteDialect({ database: new Database(path) as unknown as SqliteDatabase }),
  });
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => helperMigrations('sqlite') },
    migrationTableName: 'helper_migrations',
    migrationLockTableName: 'helper_migrations_lock',
  });
  const { error } = await migrator.migrateTo('003-inbound-email');
  if (error) throw error;
  return db;
}

describe('migration 005: trusted metadata and ASCII-only owner keys', () => {
  it('merges customers differing in ASCII case, marks old metadata client-set, re-keys owners', async () => {
    const path = tempDatabasePath();
    const old = await databaseOfThePreviousRelease(path);
    const { id: mailbox } = await old
      .insertInto('helper_mailboxes')
      .values({
        slug: 'default',
        display_mode: 'always',
        min_value: 0,
        title: 'Support',
        auto_respond_email_to_chat: 0,
        widget_host: null,
        allow_anonymous: 1,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const customer = (
      email: string,
      name: string | null,
      value: number | null,
      updated: string,
    ) => ({
      mailbox_id: mailbox,
      email,
      name,
      value,
      links: '{}',
      created_at: at,
      updated_at: updated,
    });
    await old
      .insertInto('helper_customers')
      .values([
        customer('Ann@Example.com', 'Ann', null, '2026-11-02T00:00:00.000Z'),
        customer('ann@example.com', null, 5000, '2026-11-03T00:00:00.000Z'),
        customer('\u212Aate@example.com', 'Not Kate', null, at),
      ])
      .execute();
    // Unicode lower-casing had given the Kelvin-sign address Kate's owner key.
    await old
      .insertInto('helper_conversations')
      .values({
        public_id: 'c_kelvin',
        mailbox_id: mailbox,
        owner: 'email:kate@example.com',
        customer_email: '\u212Aate@example.com',
        subject: null,
        status: 'open',
        origin: 'chat',
        client_id: null,
        created_at: at,
        last_activity_at: at,
      })
      .execute();
    await old
      .insertInto('helper_events')
      .values({
        mailbox_id: mailbox,
        owner: 'email:kate@example.com',
        type: 'conversation',
        payload: JSON.stringify({ type: 'conversation', conversation: { id: 'c_kelvin' } }),
        created_at: at,
      })
      .execute();
    await old.destroy();

    const stores = storesOf(await openSqliteDatabase(path));
    try {
      const ann = await stores.customers.getCustomer('default', 'ANN@example.com');
      expect(ann).toMatchObject({
        email: 'ann@example.com',
        name: 'Ann',
        value: 5000,
        source: 'client',
      });
      const rows = await stores.database.kysely
        .selectFrom('helper_customers')
        .selectAll()
        .execute();
      expect(rows.map((row) => row.email).sort()).toEqual([
        'ann@example.com',
        '\u212Aate@example.com',
      ]);
      const [conversation] = await stores.database.kysely
        .selectFrom('helper_conversations')
        .select('owner')
        .execute();
      expect(conversation!.owner).toBe('email:\u212Aate@example.com');
      const [event] = await stores.database.kysely
        .selectFrom('helper_events')
        .select('owner')
        .execute();
      expect(event!.owner).toBe('email:\u212Aate@example.com');
    } finally {
      await stores.database.close();
    }
  });
});
