import { sql, type Selectable } from 'kysely';
import type { StoredEvent } from './event-feed.js';
import type { EventTable } from './schema.js';
import { now, type Db, type SqlDatabase } from './sql-database.js';

/**
 * Channel of the PostgreSQL notifications that tell every instance which mailbox has new committed
 * events (the payload is the mailbox's internal id).
 */
export const EVENTS_CHANNEL = 'helperkit_events';
/**
 * First key of the transaction-level advisory lock that orders a mailbox's event ids by commit
 * (PostgreSQL); the second key is the mailbox's id, so mailboxes never wait for each other.
 */
const EVENT_ORDER_LOCK = 7_219_001;

const toStoredEvent = (row: Selectable<EventTable>, mailbox: string): StoredEvent => ({
  id: Number(row.id),
  mailbox,
  owner: row.owner,
  data: JSON.parse(row.payload) as unknown,
});

/**
 * Appends an event in the current transaction. Its id orders it among its mailbox's events in
 * commit order (every stream is one mailbox's), so a stream that resumes "after id N" misses
 * nothing; the live streams get it once the transaction has committed. Ids of different mailboxes
 * may commit out of order: nothing reads across mailboxes by id (see docs/storage.md, "Events").
 */
export async function appendEvent(
  database: SqlDatabase,
  event: { mailbox: string; owner: string; type: string; data: unknown },
): Promise<StoredEvent> {
  return database.run(async () => {
    const mailboxId = await database.mailboxId(event.mailbox);
    const row = {
      mailbox_id: mailboxId,
      owner: event.owner,
      type: event.type,
      payload: JSON.stringify(event.data),
      created_at: now(),
    };
    const id =
      database.dialect === 'postgres'
        ? await insertOrderedAndNotify(database.executor(), row, event.mailbox)
        : await insertEvent(database.executor(), row);
    const stored = toStoredEvent({ ...row, id }, event.mailbox);
    database.afterCommit(() => database.feed.committed([stored]));
    return stored;
  });
}

type NewEventRow = Omit<Selectable<EventTable>, 'id'>;

async function insertEvent(db: Db, row: NewEventRow): Promise<number> {
  const { id } = await db
    .insertInto('helper_events')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

/**
 * PostgreSQL, in one statement (one round trip while the lock is held): takes the mailbox's
 * ordering lock, held to the commit, and only then draws the id (the row is made from the lock's
 * result, so its default id cannot be drawn earlier); the notification is delivered on commit, in
 * commit order, to every instance listening. Without the lock, concurrent transactions of one
 * mailbox could commit a later id before an earlier one (docs/storage.md, "Events").
 */
async function insertOrderedAndNotify(db: Db, row: NewEventRow, slug: string): Promise<number> {
  const { rows } = await sql<{ id: string | number }>`
    insert into helper_events (mailbox_id, owner, type, payload, created_at)
    select ${row.mailbox_id}::integer, ${row.owner}::text, ${row.type}::text,
      ${row.payload}::text, ${row.created_at}::text
    from (select pg_advisory_xact_lock(${EVENT_ORDER_LOCK}, ${row.mailbox_id})) as ordered
    returning id, ${eventNotice(slug)}
  `.execute(db);
  return Number(rows[0]!.id);
}

/**
 * PostgreSQL: the advisory lock call that orders one mailbox's events (see insertOrderedAndNotify),
 * for a statement that appends an event in its own way.
 */
export const mailboxOrderLock = (mailboxId: number) =>
  sql`pg_advisory_xact_lock(${EVENT_ORDER_LOCK}, ${mailboxId})`;

/**
 * A NOTIFY payload must stay under 8,000 bytes; an event whose text (with its owner and mailbox)
 * is longer than this goes out as its id alone, and listeners read it from the table.
 */
const WHOLE_NOTICE_BYTES = 7_800;

/**
 * PostgreSQL, in the RETURNING clause of an insert into helper_events: queues the notification of
 * the new row, delivered on commit. It carries the whole event when it fits, so no listening
 * instance (the writer included) reads it back; else its id and mailbox (docs/storage.md,
 * "Events"). Parsed by `parseEventNotice`.
 */
export const eventNotice = (slug: string) => sql`pg_notify(${EVENTS_CHANNEL},
  case when octet_length(payload) + octet_length(owner) + octet_length(${slug}::text)
      < ${WHOLE_NOTICE_BYTES}
    then json_build_object('i', id, 'm', mailbox_id, 's', ${slug}::text, 'o', owner,
      'd', payload::json)::text
    else json_build_object('i', id, 'm', mailbox_id)::text
  end)`;

/** What a notification on EVENTS_CHANNEL says: a whole event, or which event to read. */
export type EventNotice =
  | { kind: 'event'; mailboxId: number; event: StoredEvent }
  | { kind: 'id'; mailboxId: number; id: number }
  | { kind: 'unknown' };

export function parseEventNotice(payload: string | undefined): EventNotice {
  let notice: { i?: unknown; m?: unknown; s?: unknown; o?: unknown; d?: unknown };
  try {
    notice = JSON.parse(payload ?? '') as typeof notice;
  } catch {
    return { kind: 'unknown' };
  }
  const { i: id, m: mailboxId } = notice ?? {};
  if (!Number.isSafeInteger(id) || !Number.isSafeInteger(mailboxId)) return { kind: 'unknown' };
  if (typeof notice.s === 'string' && typeof notice.o === 'string' && 'd' in notice) {
    const event = { id: id as number, mailbox: notice.s, owner: notice.o, data: notice.d };
    return { kind: 'event', mailboxId: mailboxId as number, event };
  }
  return { kind: 'id', mailboxId: mailboxId as number, id: id as number };
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

/**
 * One mailbox's events after `afterId`, by the mailbox's internal id, oldest first: what a
 * listening instance catches up on when the mailbox reports new events.
 */
export async function mailboxEventsAfter(
  db: Db,
  mailboxId: number,
  afterId: number,
  limit: number,
): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('helper_events')
    .innerJoin('helper_mailboxes', 'helper_mailboxes.id', 'helper_events.mailbox_id')
    .selectAll('helper_events')
    .select('helper_mailboxes.slug')
    .where('helper_events.mailbox_id', '=', mailboxId)
    .where('helper_events.id', '>', afterId)
    .orderBy('helper_events.id', 'asc')
    .limit(limit)
    .execute();
  return rows.map((row) => toStoredEvent(row, row.slug));
}

/** Each mailbox's newest event id (mailboxes without events are absent). */
export async function lastEventIdsByMailbox(db: Db): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('helper_events')
    .select(['mailbox_id', (eb) => eb.fn.max('id').as('id')])
    .groupBy('mailbox_id')
    .execute();
  return new Map(rows.map((row) => [Number(row.mailbox_id), Number(row.id)]));
}

/** Every mailbox's internal id. */
export async function allMailboxIds(db: Db): Promise<number[]> {
  const rows = await db.selectFrom('helper_mailboxes').select('id').execute();
  return rows.map((row) => Number(row.id));
}
