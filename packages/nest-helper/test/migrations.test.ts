import { describe, expect, it } from '@jest/globals';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  SqliteDialect,
  type Compilable,
  type SqliteDatabase,
} from 'kysely';
import Database from 'libsql';
import { helperMigrations } from '../src/storage/migrations/index.js';
import type { HelperDatabase } from '../src/storage/schema.js';
import { KyselyOutboxStorage } from '../src/outbox/outbox.storage.js';
import { KyselySettingsStorage } from '../src/settings/settings.storage.js';
import { SqlDatabase } from '../src/storage/sql-database.js';
import { openSqliteDatabase } from '../src/storage/sqlite.js';
import { tempDatabasePath } from './support/app.js';
import { storesOf } from './support/stores.js';

const at = '2026-11-01T00:00:00.000Z';

/** A database as an earlier release left it: migrated up to `upTo` only. */
async function databaseOfThePreviousRelease(path: string, upTo = '003-inbound-email') {
  const db = new Kysely<HelperDatabase>({
    dialect: new SqliteDialect({ database: new Database(path) as unknown as SqliteDatabase }),
  });
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => helperMigrations('sqlite') },
    migrationTableName: 'helper_migrations',
    migrationLockTableName: 'helper_migrations_lock',
  });
  const { error } = await migrator.migrateTo(upTo);
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

describe('migration 010: outbox entries of several kinds', () => {
  it('keeps a queued auto-reply as an email entry and takes entries without a recipient', async () => {
    const path = tempDatabasePath();
    const old = await databaseOfThePreviousRelease(path, '006-provider-tokens');
    const { id: mailbox } = await old
      .insertInto('helper_mailboxes')
      .values({
        slug: 'default',
        display_mode: 'always',
        min_value: 0,
        title: 'Support',
        auto_respond_email_to_chat: 1,
        widget_host: 'https://shop.example/help',
        allow_anonymous: 1,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { id: conversation } = await old
      .insertInto('helper_conversations')
      .values({
        public_id: 'c_mail',
        mailbox_id: mailbox,
        owner: 'email:ann@example.com',
        customer_email: 'ann@example.com',
        subject: 'Hi',
        status: 'open',
        origin: 'email',
        client_id: null,
        created_at: at,
        last_activity_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { id: message } = await old
      .insertInto('helper_messages')
      .values({
        conversation_id: conversation,
        author: 'customer',
        body: 'Hi',
        origin: 'email',
        client_id: null,
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { id: inbound } = await old
      .insertInto('helper_inbound_emails')
      .values({
        mailbox_id: mailbox,
        email_message_id: '<hi@example.com>',
        message_id: message,
        auto_reply: 'queued',
        skip_reason: null,
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await old
      .insertInto('helper_outbox')
      .values({
        mailbox_id: mailbox,
        inbound_id: inbound,
        conversation_id: conversation,
        recipient: 'email:ann@example.com',
        reply_message_id: '<reply@example.com>',
        payload: JSON.stringify({ subject: 'Re: Hi' }),
        status: 'pending',
        attempts: 0,
        next_attempt_at: at,
        created_at: at,
      } as never)
      .execute();
    await old.destroy();

    const database = await openSqliteDatabase(path);
    const outbox = new KyselyOutboxStorage(database);
    try {
      const claim = (kinds: ('email' | 'webhook')[]) =>
        outbox.claim({ now: new Date(), leaseMs: 60_000, limit: 10, kinds });
      expect(await claim(['webhook'])).toEqual([]);
      expect(await claim(['email'])).toEqual([
        expect.objectContaining({
          kind: 'email',
          mailbox: 'default',
          recipient: 'email:ann@example.com',
          inboundId: inbound,
          conversationId: conversation,
          payload: { subject: 'Re: Hi' },
        }),
      ]);
      expect(await outbox.conversationOfMessageIds('default', ['<reply@example.com>'])).toBe(
        conversation,
      );
      await outbox.enqueue({ kind: 'webhook', mailbox: 'default', payload: { type: 'x' } });
      expect(await claim(['webhook'])).toEqual([
        expect.objectContaining({ kind: 'webhook', recipient: null, inboundId: null }),
      ]);
      // A webhook is not an email: only the auto-reply counts against the mailbox's email budget.
      expect(await outbox.countSince('default', new Date(0))).toBe(1);
    } finally {
      await database.close();
    }
  });
});

describe('migration 011: outbox lookups by Message-ID and by conversation', () => {
  it('finds an email of ours, and a conversation’s sent replies, without reading the whole outbox', async () => {
    const db = await databaseOfThePreviousRelease(tempDatabasePath(), '011-outbox-lookups');
    try {
      const plan = async (query: Compilable<unknown>) => {
        const { sql: text, parameters } = query.compile();
        const { rows } = await db.executeQuery<{ detail: string }>(
          CompiledQuery.raw(`explain query plan ${text}`, [...parameters]),
        );
        return rows.map((row) => row.detail).join('\n');
      };
      // As the outbox storage and the continuity storage ask them.
      expect(
        await plan(
          db
            .selectFrom('helper_outbox')
            .select('conversation_id')
            .where('mailbox_id', '=', 1)
            .where('reply_message_id', 'in', ['<a@example.com>', '<b@example.com>'])
            .orderBy('id', 'desc')
            .limit(1),
        ),
      ).toContain('USING INDEX helper_outbox_by_message_id');
      expect(
        await plan(
          db
            .selectFrom('helper_outbox')
            .select(['reply_message_id', 'sent_at'])
            .where('conversation_id', '=', 1)
            .where('status', '=', 'sent')
            .where('reply_message_id', 'is not', null),
        ),
      ).toContain('USING INDEX helper_outbox_by_conversation');
    } finally {
      await db.destroy();
    }
  });
});

describe('migration 012: the hourly budget counted from an index alone', () => {
  it('counts the hour’s emails of a mailbox from the budget index alone; the sender window keeps its index', async () => {
    const path = tempDatabasePath();
    const migrated = await openSqliteDatabase(path);
    await new KyselySettingsStorage(migrated).ensureMailboxes(['default']);
    // The statement exactly as the outbox storage sends it, caught on its way to SQLite.
    const sent: CompiledQuery[] = [];
    const watched = new SqlDatabase(
      new Kysely<HelperDatabase>({
        dialect: new SqliteDialect({ database: new Database(path) as unknown as SqliteDatabase }),
        log: (event) => void sent.push(event.query),
      }),
      'sqlite',
      migrated.feed,
    );
    const planOf = async (query: CompiledQuery) => {
      const { rows } = await watched.kysely.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
      );
      return rows.map((row) => row.detail).join('\n');
    };
    try {
      const outbox = new KyselyOutboxStorage(watched);
      const hourAgo = new Date(Date.now() - 3_600_000);
      await outbox.countSince('default', hourAgo, { upTo: 30 });
      const count = await planOf(sent.pop()!);
      expect(count).toContain('USING COVERING INDEX helper_outbox_budget');
      expect(count).not.toMatch(/SCAN helper_outbox\b/);
      // The per-sender window still reads only that sender's entries, not the hour's of all.
      await outbox.queuedFor('default', 'ann@example.org', hourAgo);
      expect(await planOf(sent.pop()!)).toContain('USING INDEX helper_outbox_by_recipient');
    } finally {
      await watched.kysely.destroy();
      await migrated.close();
    }
  });
});
