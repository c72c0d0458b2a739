import type { Selectable } from 'kysely';
import { ownerKeyForEmail, type CustomerMetadata } from '@helperkit/core';
import type { CustomerTable } from '../storage/schema.js';
import { now, type SqlDatabase } from '../storage/sql-database.js';

/** A customer as stored: what the widget and the host said of them, shown to support staff. */
export interface CustomerRecord {
  id: number;
  mailbox: string;
  email: string;
  name: string | null;
  value: number | null;
  links: Record<string, string>;
  context: string | null;
  /** Who set the metadata; only `host` and `signed` metadata decide visibility by default. */
  source: MetadataSource;
  updatedAt: string;
}

export type MetadataSource = 'host' | 'signed' | 'client';

/** Customers and their metadata. Replace it through `HELPER_CUSTOMER_STORAGE` (docs/storage.md). */
export interface CustomerStorage {
  getCustomer(mailbox: string, email: string): Promise<CustomerRecord | null>;
  /**
   * Creates or updates a customer; fields absent from `metadata` keep their stored value.
   * Customers are keyed by their address with ASCII-only lower-casing.
   */
  upsertCustomer(
    mailbox: string,
    email: string,
    metadata: CustomerMetadata,
    /** Who set `metadata`; absent keeps what is stored. */
    source?: MetadataSource,
  ): Promise<CustomerRecord>;
}

const toCustomer = (row: Selectable<CustomerTable>, mailbox: string): CustomerRecord => ({
  id: Number(row.id),
  mailbox,
  email: row.email,
  name: row.name,
  value: row.value === null ? null : Number(row.value),
  links: JSON.parse(row.links) as Record<string, string>,
  context: row.context,
  source: row.metadata_source as MetadataSource,
  updatedAt: row.updated_at,
});

/** The default customer storage, in the SQL database. */
export class KyselyCustomerStorage implements CustomerStorage {
  constructor(private readonly database: SqlDatabase) {}

  async getCustomer(mailbox: string, email: string): Promise<CustomerRecord | null> {
    const row = await this.database
      .executor()
      .selectFrom('helper_customers')
      .selectAll()
      .where('mailbox_id', '=', await this.database.mailboxId(mailbox))
      .where('email', '=', ownerKeyForEmail(email))
      .executeTakeFirst();
    return row ? toCustomer(row, mailbox) : null;
  }

  async upsertCustomer(
    mailbox: string,
    email: string,
    metadata: CustomerMetadata,
    source?: MetadataSource,
  ): Promise<CustomerRecord> {
    const at = now();
    const changes = {
      ...(source !== undefined ? { metadata_source: source } : {}),
      ...(metadata.context !== undefined ? { context: metadata.context } : {}),
      ...(metadata.name !== undefined ? { name: metadata.name } : {}),
      ...(metadata.value !== undefined ? { value: metadata.value } : {}),
      ...(metadata.links !== undefined ? { links: JSON.stringify(metadata.links) } : {}),
    };
    // One statement, so two first visits of the same customer at once cannot both insert.
    const row = await this.database
      .executor()
      .insertInto('helper_customers')
      .values({
        mailbox_id: await this.database.mailboxId(mailbox),
        email: ownerKeyForEmail(email),
        name: null,
        value: null,
        links: '{}',
        context: null,
        metadata_source: source ?? 'client',
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
}
