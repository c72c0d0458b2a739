import type { Selectable } from 'kysely';
import {
  DEFAULT_SETTINGS,
  type DisplayMode,
  type Validation,
  type WidgetSettings,
} from '@helperkit/core';
import type { MailboxTable } from '../storage/schema.js';
import { now, type SqlDatabase } from '../storage/sql-database.js';

/** Each mailbox's widget settings. Replace it through `HELPER_SETTINGS_STORAGE` (docs/storage.md). */
export interface SettingsStorage {
  /** Creates the mailboxes that do not exist yet, with the default settings. */
  ensureMailboxes(slugs: readonly string[]): Promise<void>;
  /** The mailbox's settings, or `null` for an unknown mailbox. */
  getSettings(mailbox: string): Promise<WidgetSettings | null>;
  /**
   * Reads the settings, lets `update` compute the next ones and stores them, atomically, so that
   * concurrent updates of different fields all survive. Nothing is stored when `update` answers a
   * failure. `null` for an unknown mailbox.
   */
  updateSettings(
    mailbox: string,
    update: (current: WidgetSettings) => Validation<WidgetSettings>,
  ): Promise<Validation<WidgetSettings> | null>;
}

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

/** The default settings storage: a row per mailbox in the SQL database. */
export class KyselySettingsStorage implements SettingsStorage {
  constructor(private readonly database: SqlDatabase) {}

  async ensureMailboxes(slugs: readonly string[]): Promise<void> {
    const at = now();
    for (const slug of slugs) {
      await this.database
        .executor()
        .insertInto('helper_mailboxes')
        .values({ slug, ...settingsColumns(DEFAULT_SETTINGS), created_at: at, updated_at: at })
        .onConflict((conflict) => conflict.column('slug').doNothing())
        .execute();
    }
  }

  async getSettings(mailbox: string): Promise<WidgetSettings | null> {
    const row = await this.database
      .executor()
      .selectFrom('helper_mailboxes')
      .selectAll()
      .where('slug', '=', mailbox)
      .executeTakeFirst();
    return row ? toSettings(row) : null;
  }

  updateSettings(
    mailbox: string,
    update: (current: WidgetSettings) => Validation<WidgetSettings>,
  ): Promise<Validation<WidgetSettings> | null> {
    return this.database.run(async () => {
      const db = this.database.executor();
      let query = db.selectFrom('helper_mailboxes').selectAll().where('slug', '=', mailbox);
      // PostgreSQL: lock the row so a concurrent update waits and then sees this one's result.
      // SQLite serialises writers on its single connection already.
      if (this.database.dialect === 'postgres') query = query.forUpdate();
      const row = await query.executeTakeFirst();
      if (!row) return null;
      const result = update(toSettings(row));
      if (!result.ok) return result;
      await db
        .updateTable('helper_mailboxes')
        .set({ ...settingsColumns(result.value), updated_at: now() })
        .where('id', '=', row.id)
        .execute();
      return result;
    });
  }
}
