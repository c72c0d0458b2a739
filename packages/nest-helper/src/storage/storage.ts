import type { CustomerMetadata, Validation, WidgetSettings } from '@helperkit/core';

/** A customer as stored: what the widget and the host said of them, shown to support staff. */
export interface CustomerRecord {
  id: number;
  mailbox: string;
  email: string;
  name: string | null;
  value: number | null;
  links: Record<string, string>;
  updatedAt: string;
}

/**
 * Everything helperkit keeps, behind one interface so that SQLite (the default) and PostgreSQL
 * serve the same services and pass the same tests. Storage knows nothing of HTTP.
 */
export interface HelperStorage {
  /** Creates the mailboxes that do not exist yet, with the default settings. */
  ensureMailboxes(slugs: readonly string[]): Promise<void>;
  /** The mailbox's settings, or `null` for an unknown mailbox. */
  getSettings(mailbox: string): Promise<WidgetSettings | null>;
  /**
   * Reads the settings, lets `update` compute the next ones and stores them, in one transaction,
   * so that concurrent updates of different fields all survive. Nothing is stored when `update`
   * answers a failure. `null` for an unknown mailbox.
   */
  updateSettings(
    mailbox: string,
    update: (current: WidgetSettings) => Validation<WidgetSettings>,
  ): Promise<Validation<WidgetSettings> | null>;
  getCustomer(mailbox: string, email: string): Promise<CustomerRecord | null>;
  /** Creates or updates a customer; fields absent from `metadata` keep their stored value. */
  upsertCustomer(
    mailbox: string,
    email: string,
    metadata: CustomerMetadata,
  ): Promise<CustomerRecord>;
  close(): Promise<void>;
}
