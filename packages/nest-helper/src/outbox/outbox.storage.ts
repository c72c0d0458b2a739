import { ownerKeyForEmail } from '@helperkit/core';
import { sql } from 'kysely';
import { now, type SqlDatabase } from '../storage/sql-database.js';

/** What an outbox entry is; each kind has one sender (docs/outbox.md). */
export type OutboxKind = 'email' | 'webhook';

/** An entry of the durable outbox, claimed for delivery. */
export interface OutboxEntry {
  id: number;
  kind: OutboxKind;
  mailbox: string;
  /** An email's recipient (owner key); absent for other kinds. */
  recipient: string | null;
  payload: unknown;
  attempts: number;
  /** The inbound email an auto-reply answers, if it is one. */
  inboundId: number | null;
  /** The conversation it belongs to, if any. */
  conversationId: number | null;
}

export interface NewOutboxEntry {
  kind: OutboxKind;
  mailbox: string;
  /** What the sender needs (for email: the nodemailer message), as JSON. */
  payload: unknown;
  /** Not delivered before this time (default: at once). */
  notBefore?: Date;
  /**
   * Leased to the caller for this long from now, as `claim` would lease it: the caller delivers
   * it itself once its transaction commits, and no poll takes it meanwhile (docs/outbox.md).
   */
  leaseMs?: number;
  /** An email's recipient: its hourly budget and per-sender window count it. */
  recipient?: string;
  /** The conversation it belongs to. */
  conversationId?: number;
  /** The inbound email it answers (auto-replies). */
  inboundId?: number;
  /** An email's own Message-ID, so an answer to it threads into the conversation. */
  messageId?: string;
}

/** How a delivery attempt ended. */
export type OutboxOutcome =
  | { status: 'sent'; at: Date }
  /** The sender decided the entry need not go out any more (e.g. the reply was read meanwhile). */
  | { status: 'cancelled'; reason: string }
  /** `retryAt: null` gives up. */
  | { status: 'failed'; error: string; retryAt: Date | null };

/**
 * The durable outbox: what must go out (auto-replies, continuity emails, webhooks), kept until it
 * is delivered, leased so that no two instances deliver the same entry. Replace it through
 * `HELPER_OUTBOX_STORAGE` (docs/storage.md).
 */
export interface OutboxStorage {
  /** Queues an entry in the caller's transaction; answers its id. */
  enqueue(entry: NewOutboxEntry): Promise<number>;
  /**
   * Takes due entries of these kinds (or the one with `id`) for delivery: each is leased to this
   * caller until `leaseMs` from `now`, so no other instance delivers it meanwhile.
   */
  claim(options: {
    now: Date;
    leaseMs: number;
    limit: number;
    kinds: readonly OutboxKind[];
    id?: number;
  }): Promise<OutboxEntry[]>;
  /** Records an attempt's outcome (a failure with `retryAt` stays pending until then). */
  complete(id: number, outcome: OutboxOutcome): Promise<void>;
  /**
   * Cancels a pending entry that no instance is delivering (a continuity email that a newer one
   * replaces); answers false when it is leased or no longer pending.
   */
  cancel(id: number, reason: string): Promise<boolean>;
  /**
   * How many emails of the mailbox count against its hourly budget since `since`: those queued
   * (a delayed one: due) in that time, not cancelled; `except` leaves out the one being decided.
   * With `upTo`, counting stops there: the answer is at most `upTo` (whether the budget is spent
   * is all a caller asks, and it costs no more to ask when the hour was busy).
   */
  countSince(
    mailbox: string,
    since: Date,
    options?: { except?: number; upTo?: number },
  ): Promise<number>;
  /** Whether an auto-reply was queued for `recipient` in the mailbox since `since`. */
  queuedFor(mailbox: string, recipient: string, since: Date): Promise<boolean>;
  /** The conversation (internal id) one of these Message-IDs of ours belongs to, if any. */
  conversationOfMessageIds(mailbox: string, messageIds: readonly string[]): Promise<number | null>;
  /** When the oldest entry still waiting for delivery was queued (null: none is waiting). */
  oldestPending(): Promise<Date | null>;
}

/** The statuses of the entries that count against the hourly budget: all but 'cancelled'. */
const COUNTED_STATUSES = ['pending', 'sent', 'failed'];

/** The default outbox, a table of the SQL database. */
export class KyselyOutboxStorage implements OutboxStorage {
  constructor(private readonly database: SqlDatabase) {}

  async enqueue(entry: NewOutboxEntry): Promise<number> {
    const at = now();
    // A delayed entry counts as queued when it is due: a continuity email that is cancelled
    // before then (its reply was read) never weighs on the mailbox's hourly budget.
    const queuedAt = entry.notBefore?.toISOString() ?? at;
    const row = await this.database
      .executor()
      .insertInto('helper_outbox')
      .values({
        kind: entry.kind,
        mailbox_id: await this.database.mailboxId(entry.mailbox),
        inbound_id: entry.inboundId ?? null,
        conversation_id: entry.conversationId ?? null,
        recipient: entry.recipient === undefined ? null : ownerKeyForEmail(entry.recipient),
        reply_message_id: entry.messageId ?? null,
        payload: JSON.stringify(entry.payload),
        status: 'pending',
        attempts: 0,
        next_attempt_at: queuedAt,
        created_at: queuedAt,
        lease_until:
          entry.leaseMs === undefined ? null : new Date(Date.now() + entry.leaseMs).toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  claim({
    now: at,
    leaseMs,
    limit,
    kinds,
    id,
  }: {
    now: Date;
    leaseMs: number;
    limit: number;
    kinds: readonly OutboxKind[];
    id?: number;
  }): Promise<OutboxEntry[]> {
    if (kinds.length === 0) return Promise.resolve([]);
    return this.database.run(async () => {
      const db = this.database.executor();
      const nowIso = at.toISOString();
      let query = db
        .selectFrom('helper_outbox')
        .innerJoin('helper_mailboxes', 'helper_mailboxes.id', 'helper_outbox.mailbox_id')
        .select([
          'helper_outbox.id',
          'helper_outbox.kind',
          'helper_outbox.recipient',
          'helper_outbox.payload',
          'helper_outbox.attempts',
          'helper_outbox.inbound_id',
          'helper_outbox.conversation_id',
          'helper_mailboxes.slug',
        ])
        .where('helper_outbox.status', '=', 'pending')
        .where('helper_outbox.kind', 'in', [...kinds])
        .where('helper_outbox.next_attempt_at', '<=', nowIso)
        .where((eb) =>
          eb.or([
            eb('helper_outbox.lease_until', 'is', null),
            eb('helper_outbox.lease_until', '<=', nowIso),
          ]),
        )
        .orderBy('helper_outbox.id')
        .limit(limit);
      if (id !== undefined) query = query.where('helper_outbox.id', '=', id);
      // PostgreSQL: rows another instance is claiming right now are passed over, not waited for.
      if (this.database.dialect === 'postgres') {
        query = query.forUpdate('helper_outbox').skipLocked();
      }
      const rows = await query.execute();
      if (rows.length === 0) return [];
      await db
        .updateTable('helper_outbox')
        .set({ lease_until: new Date(at.getTime() + leaseMs).toISOString() })
        .where(
          'id',
          'in',
          rows.map((row) => row.id),
        )
        .execute();
      return rows.map((row) => ({
        id: Number(row.id),
        kind: row.kind as OutboxKind,
        mailbox: row.slug,
        recipient: row.recipient,
        payload: JSON.parse(row.payload) as unknown,
        attempts: Number(row.attempts),
        inboundId: nullableNumber(row.inbound_id),
        conversationId: nullableNumber(row.conversation_id),
      }));
    });
  }

  async complete(id: number, outcome: OutboxOutcome): Promise<void> {
    await this.database
      .executor()
      .updateTable('helper_outbox')
      .set((eb) => {
        const attempt = { lease_until: null, attempts: eb('attempts', '+', 1) };
        switch (outcome.status) {
          case 'sent':
            return { ...attempt, status: 'sent', sent_at: outcome.at.toISOString() };
          case 'cancelled':
            return { ...attempt, status: 'cancelled', last_error: outcome.reason.slice(0, 1000) };
          case 'failed':
            return {
              ...attempt,
              status: outcome.retryAt ? 'pending' : 'failed',
              next_attempt_at: (outcome.retryAt ?? new Date()).toISOString(),
              last_error: outcome.error.slice(0, 1000),
            };
        }
      })
      .where('id', '=', id)
      .execute();
  }

  async cancel(id: number, reason: string): Promise<boolean> {
    const at = new Date().toISOString();
    // One statement: on PostgreSQL it waits for a claim in progress and then sees its lease.
    const result = await this.database
      .executor()
      .updateTable('helper_outbox')
      .set({ status: 'cancelled', last_error: reason.slice(0, 1000) })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async countSince(
    mailbox: string,
    since: Date,
    { except, upTo }: { except?: number; upTo?: number } = {},
  ): Promise<number> {
    const db = this.database.executor();
    // Every status but 'cancelled', named, so the budget index (mailbox, kind, queue time,
    // status) answers alone, without reading a row of the table (docs/outbox.md, "Entries and
    // kinds").
    let counted = db
      .selectFrom('helper_outbox')
      .select(sql<number>`1`.as('one'))
      .where('mailbox_id', '=', await this.database.mailboxId(mailbox))
      .where('kind', '=', 'email')
      .where('created_at', '>', since.toISOString())
      .where('created_at', '<=', now())
      .where('status', 'in', COUNTED_STATUSES);
    if (except !== undefined) counted = counted.where('id', '<>', except);
    if (upTo !== undefined) counted = counted.limit(upTo);
    const row = await db
      .selectFrom(counted.as('counted'))
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  async queuedFor(mailbox: string, recipient: string, since: Date): Promise<boolean> {
    const row = await this.database
      .executor()
      .selectFrom('helper_outbox')
      .select('id')
      // No `kind` test: only auto-replies answer an inbound email, and they are emails. With it,
      // SQLite took the budget index (mailbox, kind, queue time) and read the hour's entries of
      // every sender instead of this sender's through the recipient index.
      .where('mailbox_id', '=', await this.database.mailboxId(mailbox))
      .where('recipient', '=', ownerKeyForEmail(recipient))
      // Auto-replies only: a continuity email is not an answer to the sender's email.
      .where('inbound_id', 'is not', null)
      .where('created_at', '>', since.toISOString())
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async conversationOfMessageIds(
    mailbox: string,
    messageIds: readonly string[],
  ): Promise<number | null> {
    if (messageIds.length === 0) return null;
    const row = await this.database
      .executor()
      .selectFrom('helper_outbox')
      .select('conversation_id')
      .where('mailbox_id', '=', await this.database.mailboxId(mailbox))
      .where('reply_message_id', 'in', [...messageIds])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return nullableNumber(row?.conversation_id ?? null);
  }

  async oldestPending(): Promise<Date | null> {
    const row = await this.database
      .executor()
      .selectFrom('helper_outbox')
      .select((eb) => eb.fn.min('created_at').as('oldest'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return row?.oldest ? new Date(String(row.oldest)) : null;
  }
}

/** PostgreSQL answers bigint columns as strings; absent references stay null. */
const nullableNumber = (value: number | string | null): number | null =>
  value === null ? null : Number(value);
