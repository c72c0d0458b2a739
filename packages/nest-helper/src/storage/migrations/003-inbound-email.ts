import type { Kysely, Migration } from 'kysely';
import type { SqlDialectName } from '../schema.js';
import { withSerialKey } from './001-initial-schema.js';

/** Inbound emails (keyed by Message-ID, with their auto-reply decision) and the reply outbox. */
export const inboundEmailSchema = (dialect: SqlDialectName): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('helper_inbound_emails')
      .$call(withSerialKey(dialect))
      .addColumn('mailbox_id', 'integer', (column) =>
        column.notNull().references('helper_mailboxes.id').onDelete('cascade'),
      )
      .addColumn('email_message_id', 'varchar(1000)', (column) => column.notNull())
      .addColumn('message_id', 'integer', (column) =>
        column.notNull().references('helper_messages.id').onDelete('cascade'),
      )
      .addColumn('auto_reply', 'varchar(16)', (column) => column.notNull())
      .addColumn('skip_reason', 'varchar(64)')
      .addColumn('created_at', 'varchar(32)', (column) => column.notNull())
      .addUniqueConstraint('helper_inbound_emails_message_id', ['mailbox_id', 'email_message_id'])
      .execute();

    await db.schema
      .createTable('helper_outbox')
      .$call(withSerialKey(dialect))
      .addColumn('mailbox_id', 'integer', (column) =>
        column.notNull().references('helper_mailboxes.id').onDelete('cascade'),
      )
      .addColumn('inbound_id', 'integer', (column) =>
        column.notNull().references('helper_inbound_emails.id').onDelete('cascade'),
      )
      .addColumn('conversation_id', 'integer', (column) =>
        column.notNull().references('helper_conversations.id').onDelete('cascade'),
      )
      .addColumn('recipient', 'varchar(1000)', (column) => column.notNull())
      // The reply's own Message-ID: a customer answering the reply lands in the same conversation.
      .addColumn('reply_message_id', 'varchar(1000)', (column) => column.notNull())
      .addColumn('payload', 'text', (column) => column.notNull())
      .addColumn('status', 'varchar(16)', (column) => column.notNull())
      .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'varchar(32)', (column) => column.notNull())
      .addColumn('lease_until', 'varchar(32)')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'varchar(32)', (column) => column.notNull())
      .addColumn('sent_at', 'varchar(32)')
      .execute();
    await db.schema
      .createIndex('helper_outbox_due')
      .on('helper_outbox')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('helper_outbox_by_recipient')
      .on('helper_outbox')
      .columns(['mailbox_id', 'recipient', 'created_at'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('helper_outbox').execute();
    await db.schema.dropTable('helper_inbound_emails').execute();
  },
});
