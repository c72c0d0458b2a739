import type { Kysely, Migration } from 'kysely';
import { ownerKeyForEmail } from '@helperkit/core';

// Where a customer's metadata came from decides whether it may decide visibility (only the host's
// or signed metadata may, unless the host accepts client metadata), and owners compare addresses
// with ASCII-only lower-casing (docs/security-model.md, "Identity").

// Migrations run against the schema as it was then, not today's typed one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type UntypedDb = Kysely<any>;

interface Row {
  id: number;
  [column: string]: unknown;
}

/** Customers of one mailbox that differ only in ASCII case become one: the newest keeps its id. */
async function mergeCustomers(db: UntypedDb): Promise<void> {
  const customers = (await db
    .selectFrom('helper_customers')
    .selectAll()
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .execute()) as Row[];
  const kept = new Map<string, Row>();
  for (const customer of customers) {
    const key = `${String(customer.mailbox_id)} ${ownerKeyForEmail(String(customer.email))}`;
    const newest = kept.get(key);
    if (newest === undefined) {
      kept.set(key, customer);
      continue;
    }
    // An older duplicate: its fields fill what the newest lacks, then it goes.
    const fill: Record<string, unknown> = {};
    for (const column of ['name', 'value']) {
      if (newest[column] === null && customer[column] !== null) fill[column] = customer[column];
    }
    if (Object.keys(fill).length > 0) {
      await db.updateTable('helper_customers').set(fill).where('id', '=', newest.id).execute();
      Object.assign(newest, fill);
    }
    await db.deleteFrom('helper_customers').where('id', '=', customer.id).execute();
  }
  for (const customer of kept.values()) {
    const email = ownerKeyForEmail(String(customer.email));
    if (email !== customer.email) {
      await db
        .updateTable('helper_customers')
        .set({ email })
        .where('id', '=', customer.id)
        .execute();
    }
  }
}

/** Recomputes `email:` owner keys from the address as received, then the events' from theirs. */
async function recomputeOwners(db: UntypedDb): Promise<void> {
  const conversations = (await db
    .selectFrom('helper_conversations')
    .select(['id', 'public_id', 'owner', 'customer_email'])
    .where('owner', 'like', 'email:%')
    .execute()) as Row[];
  const ownerByPublicId = new Map<string, string>();
  for (const conversation of conversations) {
    const owner = `email:${ownerKeyForEmail(String(conversation.customer_email))}`;
    ownerByPublicId.set(String(conversation.public_id), owner);
    if (owner !== conversation.owner) {
      await db
        .updateTable('helper_conversations')
        .set({ owner })
        .where('id', '=', conversation.id)
        .execute();
    }
  }
  const events = (await db
    .selectFrom('helper_events')
    .select(['id', 'owner', 'payload'])
    .where('owner', 'like', 'email:%')
    .execute()) as Row[];
  for (const event of events) {
    const { conversation } = JSON.parse(String(event.payload)) as {
      conversation?: { id?: unknown; publicId?: unknown };
    };
    const owner = ownerByPublicId.get(String(conversation?.publicId ?? conversation?.id));
    if (owner !== undefined && owner !== event.owner) {
      await db.updateTable('helper_events').set({ owner }).where('id', '=', event.id).execute();
    }
  }
}

export const trustedMetadataSchema = (): Migration => ({
  async up(db: UntypedDb) {
    await db.schema.alterTable('helper_customers').addColumn('context', 'text').execute();
    // Metadata stored before this change came from the browser as often as not: client-set.
    await db.schema
      .alterTable('helper_customers')
      .addColumn('metadata_source', 'varchar(16)', (column) => column.notNull().defaultTo('client'))
      .execute();
    await mergeCustomers(db);
    await recomputeOwners(db);
  },
});
