import type { Kysely, Migration } from 'kysely';

/**
 * How far each side has read a conversation, and the customer's rating of a closed one
 * (docs/http-api.md, "Read state, typing, rating"). Tables of their own, so the conversations'
 * table and its writers stay as they are.
 */
export const readStateSchema = (): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('helper_read_marks')
      .addColumn('conversation_id', 'integer', (column) =>
        column.notNull().references('helper_conversations.id').onDelete('cascade'),
      )
      // `customer` or `staff`: whose reading it records.
      .addColumn('side', 'varchar(16)', (column) => column.notNull())
      .addColumn('last_read_id', 'integer', (column) => column.notNull())
      .addColumn('updated_at', 'varchar(32)', (column) => column.notNull())
      // The conflict target of the forward-only upsert.
      .addPrimaryKeyConstraint('helper_read_marks_pkey', ['conversation_id', 'side'])
      .execute();

    await db.schema
      .createTable('helper_ratings')
      // One rating per conversation: the key refuses a second one, whatever the instance.
      .addColumn('conversation_id', 'integer', (column) =>
        column.primaryKey().references('helper_conversations.id').onDelete('cascade'),
      )
      .addColumn('rating', 'varchar(8)', (column) => column.notNull())
      .addColumn('comment', 'text')
      .addColumn('created_at', 'varchar(32)', (column) => column.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('helper_ratings').execute();
    await db.schema.dropTable('helper_read_marks').execute();
  },
});
