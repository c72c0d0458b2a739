import type { Kysely, Migration } from 'kysely';

/**
 * Two outbox lookups read every row of a mailbox's outbox (sent entries are kept): an email that
 * answers one of ours is matched by the Message-ID we gave it, and a continuity email threads under
 * the conversation's sent replies. Each gets its index, so both stay cheap as the outbox grows.
 * See docs/outbox.md.
 */
export const outboxLookupsSchema = (): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('helper_outbox_by_message_id')
      .on('helper_outbox')
      .columns(['mailbox_id', 'reply_message_id'])
      .execute();
    await db.schema
      .createIndex('helper_outbox_by_conversation')
      .on('helper_outbox')
      .columns(['conversation_id', 'status'])
      .execute();
  },
});
