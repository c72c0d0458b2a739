import { ownerKeyForEmail } from '@helperkit/core';
import { now, type SqlDatabase } from '../storage/sql-database.js';

/** An entry of the durable outbox, claimed for sending. */
export interface OutboxEntry {
  id: number;
  mailbox: string;
  recipient: string;
  payload: unknown;
  attempts: number;
  /** The inbound email it answers. */
  inboundId: number;
}

export interface NewOutboxEntry {
  mailbox: string;
  recipient: string;
  /** The conversation it belongs to. */
  conversationId: number;
  /** The inbound email it answers. */
  inboundId: number;
  /** The email's own Message-ID, so an answer to it threads into the conversation. */
  messageId: string;
  /** What the sender needs (for email: the nodemailer message), as JSON. */
  payload: unknown;
}

/**
 * The durable outbox: what must go out (auto-replies now), kept until it is sent, leased so that
 * no two instances send the same entry. Replace it through `HELPER_OUTBOX_STORAGE`
 * (docs/storage.md).
 */
export interface OutboxStorage {
  /** Queues an entry in the caller's transaction; answers its id. */
  enqueue(entry: NewOutboxEntry): Promise<number>;
  /**
   * Takes due entries (or the one with `id`) for sending: each is leased to this caller until
   * `leaseMs` from `now`, so no other instance sends it meanwhile.
   */
  claim(options: {
    now: Date;
    leaseMs: number;
    limit: number;
    id?: number;
  }): Promise<OutboxEntry[]>;
  /** Records a send: done, or failed with the time of the next attempt (`null`: give up). */
  complete(
    id: number,
    outcome: { sent: true; at: Date } | { sent: false; error: string; retryAt: Date | null },
  ): Promise<void>;
  /** How many entries the mailbox queued since `since` (its automatic emails' hourly budget). */
  countSince(mailbox: string, since: Date): Promise<number>;
  /** Whether anything was queued for `recipient` in the mailbox since `since`. */
  queuedFor(mailbox: string, recipient: string, since: Date): Promise<boolean>;
  /** The conversation (internal id) one of these Message-IDs of ours belongs to, if any. */
  conversationOfMessageIds(mailbox: string, messageIds: readonly string[]): Promise<number | null>;
}

/** The default outbox, a table of the SQL database. */
export class KyselyOutboxStorage implements OutboxStorage {
  constructor(private readonly database: SqlDatabase) {}

  async enqueue(entry: NewOutboxEntry): Promise<number> {
    const at = now();
    const row = await this.database
      .executor()
      .insertInto('helper_outbox')
      .values({
        mailbox_id: await this.database.mailboxId(entry.mailbox),
        inbound_id: entry.inboundId,
        conversation_id: entry.conversationId,
        recipient: ownerKeyForEmail(entry.recipient),
        reply_message_id: entry.messageId,
        payload: JSON.stringify(entry.payload),
        status: 'pending',
        attempts: 0,
        next_attempt_at: at,
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  claim({
    now: at,
    leaseMs,
    limit,
    id,
  }: {
    now: Date;
    leaseMs: number;
    limit: number;
    id?: number;
  }): Promise<OutboxEntry[]> {
    return this.database.run(async () => {
      const db = this.database.executor();
      const nowIso = at.toISOString();
      let query = db
        .selectFrom('helper_outbox')
        .innerJoin('helper_mailboxes', 'helper_mailboxes.id', 'helper_outbox.mailbox_id')
        .select([
          'helper_outbox.id',
          'helper_outbox.recipient',
          'helper_outbox.payload',
          'helper_outbox.attempts',
          'helper_outbox.inbound_id',
          'helper_mailboxes.slug',
        ])
        .where('helper_outbox.status', '=', 'pending')
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
        mailbox: row.slug,
        recipient: row.recipient,
        payload: JSON.parse(row.payload) as unknown,
        attempts: Number(row.attempts),
        inboundId: Number(row.inbound_id),
      }));
    });
  }

  async complete(
    id: number,
    outcome: { sent: true; at: Date } | { sent: false; error: string; retryAt: Date | null },
  ): Promise<void> {
    await this.database
      .executor()
      .updateTable('helper_outbox')
      .set((eb) =>
        outcome.sent
          ? {
              status: 'sent',
              sent_at: outcome.at.toISOString(),
              lease_until: null,
              attempts: eb('attempts', '+', 1),
            }
          : {
              status: outcome.retryAt ? 'pending' : 'failed',
              next_attempt_at: (outcome.retryAt ?? new Date()).toISOString(),
              last_error: outcome.error.slice(0, 1000),
              lease_until: null,
              attempts: eb('attempts', '+', 1),
            },
      )
      .where('id', '=', id)
      .execute();
  }

  async countSince(mailbox: string, since: Date): Promise<number> {
    const row = await this.database
      .executor()
      .selectFrom('helper_outbox')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('mailbox_id', '=', await this.database.mailboxId(mailbox))
      .where('created_at', '>', since.toISOString())
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  async queuedFor(mailbox: string, recipient: string, since: Date): Promise<boolean> {
    const row = await this.database
      .executor()
      .selectFrom('helper_outbox')
      .select('id')
      .where('mailbox_id', '=', await this.database.mailboxId(mailbox))
      .where('recipient', '=', ownerKeyForEmail(recipient))
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
    return row ? Number(row.conversation_id) : null;
  }
}
