import { Migrator, type Kysely, type Selectable } from 'kysely';
import {
  DEFAULT_SETTINGS,
  type CustomerMetadata,
  type DisplayMode,
  type Validation,
  type WidgetSettings,
} from '@helperkit/core';
import type { EventFeed } from './event-feed.js';
import { KyselyEmail } from './kysely-email.js';
import { helperMigrations } from './migrations/index.js';
import type { CustomerTable, HelperDatabase, MailboxTable, SqlDialectName } from './schema.js';
import type { CustomerRecord, HelperStorage } from './storage.js';

const now = () => new Date().toISOString();

const toSettings = (row: Selectable<MailboxTable>): WidgetSettings => ({
  displayMode: row.display_mode as DisplayMode,
  minValue: Number(row.min_value),
  title: row.title,
  autoRespondEmailToChat: Number(row.auto_respond_email_to_chat) === 1,
  widgetHost: row.widget_host,
  allowAnonymous: Number(row.allow_anonymous) === 1,
});

const settingsColumns = (settings: WidgetSettings) => ({
  display_mode: settings.displayMode,
  min_value: settings.minValue,
  title: settings.title,
  auto_respond_email_to_chat: settings.autoRespondEmailToChat ? 1 : 0,
  widget_host: settings.widgetHost,
  allow_anonymous: settings.allowAnonymous ? 1 : 0,
});

const toCustomer = (row: Selectable<CustomerTable>, mailbox: string): CustomerRecord => ({
  id: Number(row.id),
  mailbox,
  email: row.email,
  name: row.name,
  value: row.value === null ? null : Number(row.value),
  links: JSON.parse(row.links) as Record<string, string>,
  updatedAt: row.updated_at,
});

/**
 * The storage interface over Kysely: one implementation for every SQL dialect helperkit runs on.
 * Mailboxes and customers live here; email and conversations in the classes it extends.
 */
export class KyselyStorage extends KyselyEmail implements HelperStorage {
  constructor(
    db: Kysely<HelperDatabase>,
    dialect: SqlDialectName,
    private readonly events: EventFeed,
  ) {
    super(db, dialect, events);
  }

  /** Applies the migrations this database has not seen yet. */
  async migrate(): Promise<void> {
    const migrations = helperMigrations(this.dialect);
    const migrator = new Migrator({
      db: this.db,
      provider: { getMigrations: async () => migrations },
      migrationTableName: 'helper_migrations',
      migrationLockTableName: 'helper_migrations_lock',
    });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  }

  async ensureMailboxes(slugs: readonly string[]): Promise<void> {
    const at = now();
    for (const slug of slugs) {
      await this.db
        .insertInto('helper_mailboxes')
        .values({ slug, ...settingsColumns(DEFAULT_SETTINGS), created_at: at, updated_at: at })
        .onConflict((conflict) => conflict.column('slug').doNothing())
        .execute();
    }
  }

  async getSettings(mailbox: string): Promise<WidgetSettings | null> {
    const row = await this.db
      .selectFrom('helper_mailboxes')
      .selectAll()
      .where('slug', '=', mailbox)
      .executeTakeFirst();
    return row ? toSettings(row) : null;
  }

  async updateSettings(
    mailbox: string,
    update: (current: WidgetSettings) => Validation<WidgetSettings>,
  ): Promise<Validation<WidgetSettings> | null> {
    return this.db.transaction().execute(async (trx) => {
      let query = trx.selectFrom('helper_mailboxes').selectAll().where('slug', '=', mailbox);
      // PostgreSQL: lock the row so a concurrent update waits and then sees this one's result.
      // SQLite serialises writers on its single connection already.
      if (this.dialect === 'postgres') query = query.forUpdate();
      const row = await query.executeTakeFirst();
      if (!row) return null;
      const result = update(toSettings(row));
      if (!result.ok) return result;
      await trx
        .updateTable('helper_mailboxes')
        .set({ ...settingsColumns(result.value), updated_at: now() })
        .where('id', '=', row.id)
        .execute();
      return result;
    });
  }

  async getCustomer(mailbox: string, email: string): Promise<CustomerRecord | null> {
    const row = await this.db
      .selectFrom('helper_customers')
      .innerJoin('helper_mailboxes', 'helper_mailboxes.id', 'helper_customers.mailbox_id')
      .selectAll('helper_customers')
      .where('helper_mailboxes.slug', '=', mailbox)
      .where('helper_customers.email', '=', email)
      .executeTakeFirst();
    return row ? toCustomer(row, mailbox) : null;
  }

  async upsertCustomer(
    mailbox: string,
    email: string,
    metadata: CustomerMetadata,
  ): Promise<CustomerRecord> {
    const at = now();
    const mailboxRow = await this.db
      .selectFrom('helper_mailboxes')
      .select('id')
      .where('slug', '=', mailbox)
      .executeTakeFirstOrThrow();
    const changes = {
      ...(metadata.name !== undefined ? { name: metadata.name } : {}),
      ...(metadata.value !== undefined ? { value: metadata.value } : {}),
      ...(metadata.links !== undefined ? { links: JSON.stringify(metadata.links) } : {}),
    };
    // One statement, so two first visits of the same customer at once cannot both insert.
    const row = await this.db
      .insertInto('helper_customers')
      .values({
        mailbox_id: mailboxRow.id,
        email,
        name: null,
        value: null,
        links: '{}',
        ...changes,
        created_at: at,
        updated_at: at,
      })
      .onConflict((conflict) =>
        conflict.columns(['mailbox_id', 'email']).doUpdateSet({ ...changes, updated_at: at }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCustomer(row, mailbox);
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.db.destroy();
  }
}
