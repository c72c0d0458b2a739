import type { Kysely, Migration } from 'kysely';

/** Mailgun's signed tokens, each accepted once (docs/email-authentication.md, "Mailgun"). */
export const providerTokensSchema = (): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('helper_provider_tokens')
      .addColumn('token', 'varchar(256)', (column) => column.primaryKey())
      .addColumn('email_message_id', 'varchar(1000)', (column) => column.notNull())
      .addColumn('created_at', 'varchar(32)', (column) => column.notNull())
      .execute();
  },
});
