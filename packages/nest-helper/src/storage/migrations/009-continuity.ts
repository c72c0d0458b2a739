import type { Kysely, Migration } from 'kysely';

/**
 * Which staff replies each continuity email carries (docs/email.md, "Continuity"): staff see per
 * reply whether it went out by email. `outbox_id` names the outbox entry without a foreign key,
 * as the outbox table is rebuilt on SQLite by a later migration; entries are never deleted.
 */
export const continuitySchema = (): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('helper_continuity_emails')
      .addColumn('outbox_id', 'integer', (column) => column.notNull())
      .addColumn('message_id', 'integer', (column) =>
        column.notNull().references('helper_messages.id').onDelete('cascade'),
      )
      .addPrimaryKeyConstraint('helper_continuity_emails_key', ['outbox_id', 'message_id'])
      .execute();
    await db.schema
      .createIndex('helper_continuity_emails_by_message')
      .on('helper_continuity_emails')
      .column('message_id')
      .execute();
  },
});
