import type { Kysely, Migration } from 'kysely';
import type { SqlDialectName } from '../schema.js';
import { withSerialKey } from './001-initial-schema.js';

/** Conversations, their messages, and the event log that live updates and resumes read. */
export const conversationsSchema = (dialect: SqlDialectName): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('helper_conversations')
      .$call(withSerialKey(dialect))
      .addColumn('public_id', 'varchar(40)', (column) => column.notNull().unique())
      .addColumn('mailbox_id', 'integer', (column) =>
        column.notNull().references('helper_mailboxes.id').onDelete('cascade'),
      )
      // `email:<address>` or `visitor:<id>`: whose conversation it is.
      .addColumn('owner', 'varchar(1100)', (column) => column.notNull())
      .addColumn('customer_email', 'varchar(1024)')
      .addColumn('subject', 'varchar(1024)')
      .addColumn('status', 'varchar(16)', (column) => column.notNull().defaultTo('open'))
      .addColumn('origin', 'varchar(16)', (column) => column.notNull())
      .addColumn('client_id', 'varchar(128)')
      .addColumn('created_at', 'varchar(32)', (column) => column.notNull())
      .addColumn('last_activity_at', 'varchar(32)', (column) => column.notNull())
      .addUniqueConstraint('helper_conversations_client_id', ['mailbox_id', 'owner', 'client_id'])
      .execute();
    await db.schema
      .createIndex('helper_conversations_by_owner')
      .on('helper_conversations')
      .columns(['mailbox_id', 'owner', 'last_activity_at'])
      .execute();
    await db.schema
      .createIndex('helper_conversations_by_activity')
      .on('helper_conversations')
      .columns(['mailbox_id', 'status', 'last_activity_at'])
      .execute();

    await db.schema
      .createTable('helper_messages')
      .$call(withSerialKey(dialect))
      .addColumn('conversation_id', 'integer', (column) =>
        column.notNull().references('helper_conversations.id').onDelete('cascade'),
      )
      .addColumn('author', 'varchar(16)', (column) => column.notNull())
      .addColumn('body', 'text', (column) => column.notNull())
      .addColumn('origin', 'varchar(16)', (column) => column.notNull())
      .addColumn('client_id', 'varchar(128)')
      .addColumn('created_at', 'varchar(32)', (column) => column.notNull())
      .addUniqueConstraint('helper_messages_client_id', ['conversation_id', 'author', 'client_id'])
      .execute();
    await db.schema
      .createIndex('helper_messages_by_conversation')
      .on('helper_messages')
      .columns(['conversation_id', 'id'])
      .execute();

    await db.schema
      .createTable('helper_events')
      .$call(withSerialKey(dialect))
      .addColumn('mailbox_id', 'integer', (column) =>
        column.notNull().references('helper_mailboxes.id').onDelete('cascade'),
      )
      .addColumn('owner', 'varchar(1100)', (column) => column.notNull())
      .addColumn('type', 'varchar(32)', (column) => column.notNull())
      .addColumn('payload', 'text', (column) => column.notNull())
      .addColumn('created_at', 'varchar(32)', (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('helper_events_by_owner')
      .on('helper_events')
      .columns(['mailbox_id', 'owner', 'id'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('helper_events').execute();
    await db.schema.dropTable('helper_messages').execute();
    await db.schema.dropTable('helper_conversations').execute();
  },
});
