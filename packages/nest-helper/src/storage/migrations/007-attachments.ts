import type { Kysely, Migration } from 'kysely';
import type { SqlDialectName } from '../schema.js';
import { withSerialKey } from './001-initial-schema.js';

/**
 * Attachments: one row per uploaded or emailed file (its message once attached), and the bytes of
 * the default store, apart so a host's own store leaves that table empty (docs/storage.md).
 */
export const attachmentsSchema = (dialect: SqlDialectName): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('helper_attachments')
      .$call(withSerialKey(dialect))
      .addColumn('public_id', 'varchar(40)', (column) => column.notNull().unique())
      .addColumn('conversation_id', 'integer', (column) =>
        column.notNull().references('helper_conversations.id').onDelete('cascade'),
      )
      // Null while uploaded but not yet sent with a message.
      .addColumn('message_id', 'integer', (column) =>
        column.references('helper_messages.id').onDelete('cascade'),
      )
      .addColumn('uploaded_by', 'varchar(16)', (column) => column.notNull())
      .addColumn('name', 'varchar(1024)', (column) => column.notNull())
      .addColumn('content_type', 'varchar(128)', (column) => column.notNull())
      .addColumn('size', 'integer', (column) => column.notNull())
      // Null for a refused part of an email: recorded for staff, its bytes never kept.
      .addColumn('store_key', 'varchar(200)')
      .addColumn('refused_reason', 'varchar(64)')
      .addColumn('created_at', 'varchar(32)', (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('helper_attachments_by_message')
      .on('helper_attachments')
      .column('message_id')
      .execute();
    await db.schema
      .createIndex('helper_attachments_unattached')
      .on('helper_attachments')
      .columns(['conversation_id', 'message_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('helper_attachments_by_age')
      .on('helper_attachments')
      .columns(['message_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('helper_attachment_files')
      .addColumn('store_key', 'varchar(200)', (column) => column.primaryKey())
      .addColumn('bytes', dialect === 'postgres' ? 'bytea' : 'blob', (column) => column.notNull())
      .addColumn('created_at', 'varchar(32)', (column) => column.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('helper_attachment_files').execute();
    await db.schema.dropTable('helper_attachments').execute();
  },
});
