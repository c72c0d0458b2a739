import { sql, type Selectable } from 'kysely';
import type { StoredEvent } from './event-feed.js';
import type { EventTable } from './schema.js';
import { now, type Db, type SqlDatabase } from './sql-database.js';

/** Channel of the PostgreSQL notifications that carry committed event ids to every instance. */
export const EVENTS_CHANNEL = 'helperkit_events';
/** Key of the transaction-level advisory lock that orders event ids by commit (PostgreSQL). */
const EVENT_ORDER_LOCK = 7_219_001;

const toStoredEvent = (row: Selectable<EventTable>, mailbox: string): StoredEvent => ({
  id: Number(row.id),
  mailbox,
  owner: row.owner,
  data: JSON.parse(row.payload) as unknown,
});

/**
 * Appends an event in the current transaction. Its id orders it among every instance's events
 * in commit order, so a stream that resumes "after id N" misses nothing; the live streams get it
 * once the transaction has committed.
 */
export async function appendEvent(
  database: SqlDatabase,
  event: { mailbox: string; owner: string; type: string; data: unknown },
): Promise<StoredEvent> {
  return database.run(async () => {
    const db = database.executor();
    if (database.dialect === 'postgres') {
      // Concurrent transactions could otherwise commit a later id before an earlier one.
      await sql`select pg_advisory_xact_lock(${EVENT_ORDER_LOCK})`.execute(db);
    }
    const row = await db
      .insertInto('helper_events')
      .values({
        mailbox_id: await database.mailboxId(event.mailbox),
        owner: event.owner,
        type: event.type,
        payload: JSON.stringify(event.data),
        created_at: now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // Delivered on commit, in commit order, to every instance listening.
    if (database.dialect === 'postgres') {
      await sql`select pg_notify(${EVENTS_CHANNEL}, ${String(row.id)})`.execute(db);
    }
    const stored = toStoredEvent(row, event.mailbox);
    database.afterCommit(() => database.feed.committed([stored]));
    return stored;
  });
}

/** One mailbox's events after `afterId` (an owner's only, when given), oldest first. */
export async function eventsAfter(
  database: SqlDatabase,
  mailbox: string,
  filter: { owner?: string },
  afterId: number,
  limit: number,
): Promise<StoredEvent[]> {
  let query = database
    .executor()
    .selectFrom('helper_events')
    .selectAll()
    .where('mailbox_id', '=', await database.mailboxId(mailbox))
    .where('id', '>', afterId);
  if (filter.owner !== undefined) query = query.where('owner', '=', filter.owner);
  const rows = await query.orderBy('id', 'asc').limit(limit).execute();
  return rows.map((row) => toStoredEvent(row, mailbox));
}

/** The id of the newest event of a mailbox (an owner's, when given), 0 when there is none. */
export async function lastEventId(
  database: SqlDatabase,
  mailbox: string,
  filter: { owner?: string },
): Promise<number> {
  let query = database
    .executor()
    .selectFrom('helper_events')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('mailbox_id', '=', await database.mailboxId(mailbox));
  if (filter.owner !== undefined) query = query.where('owner', '=', filter.owner);
  const row = await query.executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Every mailbox's events after `afterId`, oldest first: what a listening instance catches up on. */
export async function allEventsAfter(
  db: Db,
  afterId: number,
  limit: number,
): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('helper_events')
    .innerJoin('helper_mailboxes', 'helper_mailboxes.id', 'helper_events.mailbox_id')
    .selectAll('helper_events')
    .select('helper_mailboxes.slug')
    .where('helper_events.id', '>', afterId)
    .orderBy('helper_events.id', 'asc')
    .limit(limit)
    .execute();
  return rows.map((row) => toStoredEvent(row, row.slug));
}
