import type { Kysely, Migration } from 'kysely';

/**
 * The hourly budget is counted for every inbound email that may be answered. Through the due index
 * it found the hour's entries but read each one from the table (for its mailbox and queue time):
 * a cost that grew with every entry of the hour. This index holds every column the count tests, so
 * the count reads the index alone (docs/outbox.md, "Entries and kinds").
 */
export const outboxBudgetSchema = (): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('helper_outbox_budget')
      .on('helper_outbox')
      .columns(['mailbox_id', 'kind', 'created_at', 'status'])
      .execute();
  },
});
