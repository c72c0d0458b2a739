import { sql, type Kysely, type Migration } from 'kysely';
import type { SqlDialectName } from '../schema.js';
import { withSerialKey } from './001-initial-schema.js';

/** Columns that only an email entry has: other kinds (webhooks) leave them empty. */
const EMAIL_ONLY_COLUMNS = ['inbound_id', 'conversation_id', 'recipient', 'reply_message_id'];

/**
 * The outbox carries more than auto-replies (docs/outbox.md): each entry has a `kind`, and the
 * email-only columns may be empty. SQLite cannot drop a NOT NULL constraint, so there the table is
 * rebuilt with its rows (nothing references it).
 */
export const outboxKindsSchema = (dialect: SqlDialectName): Migration => ({
  async up(db: Kysely<unknown>) {
    if (dialect === 'postgres') {
      await db.schema
        .alterTable('helper_outbox')
        .addColumn('kind', 'varchar(32)', (column) => column.notNull().defaultTo('email'))
        .execute();
      for (const column of EMAIL_ONLY_COLUMNS) {
        await db.schema
          .alterTable('helper_outbox')
          .alterColumn(column, (change) => change.dropNotNull())
          .execute();
      }
      await db.schema.dropIndex('helper_outbox_due').execute();
    } else {
      await rebuildForSqlite(db, dialect);
    }
    await db.schema
      .createIndex('helper_outbox_due_by_kind')
      .on('helper_outbox')
      .columns(['status', 'kind', 'next_attempt_at'])
      .execute();
  },
});

async function rebuildForSqlite(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  await db.schema
    .createTable('helper_outbox_next')
    .$call(withSerialKey(dialect))
    .addColumn('kind', 'varchar(32)', (column) => column.notNull().defaultTo('email'))
    .addColumn('mailbox_id', 'integer', (column) =>
      column.notNull().references('helper_mailboxes.id').onDelete('cascade'),
    )
    .addColumn('inbound_id', 'integer', (column) =>
      column.references('helper_inbound_emails.id').onDelete('cascade'),
    )
    .addColumn('conversation_id', 'integer', (column) =>
      column.references('helper_conversations.id').onDelete('cascade'),
    )
    .addColumn('recipient', 'varchar(1000)')
    .addColumn('reply_message_id', 'varchar(1000)')
    .addColumn('payload', 'text', (column) => column.notNull())
    .addColumn('status', 'varchar(16)', (column) => column.notNull())
    .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'varchar(32)', (column) => column.notNull())
    .addColumn('lease_until', 'varchar(32)')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'varchar(32)', (column) => column.notNull())
    .addColumn('sent_at', 'varchar(32)')
    .execute();
  const columns = sql.raw(
    'id, mailbox_id, inbound_id, conversation_id, recipient, reply_message_id, payload, status, ' +
      'attempts, next_attempt_at, lease_until, last_error, created_at, sent_at',
  );
  await sql`insert into helper_outbox_next (${columns}) select ${columns} from helper_outbox`.execute(
    db,
  );
  await db.schema.dropTable('helper_outbox').execute();
  await db.schema.alterTable('helper_outbox_next').renameTo('helper_outbox').execute();
  await db.schema
    .createIndex('helper_outbox_by_recipient')
    .on('helper_outbox')
    .columns(['mailbox_id', 'recipient', 'created_at'])
    .execute();
}
