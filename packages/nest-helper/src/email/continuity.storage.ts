import type { ContinuityDelivery } from '../chat/staff-message-details.js';
import type { SqlDatabase } from '../storage/sql-database.js';

/** The continuity email still waiting in the outbox for a conversation. */
export interface PendingContinuity {
  outboxId: number;
  /** When it is due. */
  notBefore: Date;
  /** The staff replies it carries (internal ids), oldest first. */
  messageIds: number[];
}

/** A staff reply as the email quotes it. */
export interface ReplyText {
  id: number;
  body: string;
}

const DELIVERY_STATUS: Record<string, ContinuityDelivery['status']> = {
  pending: 'queued',
  sent: 'sent',
  cancelled: 'cancelled',
  failed: 'failed',
};

/**
 * Which staff replies each continuity email (an outbox entry) carries, and what the email needs
 * from the conversation: its replies' texts and the Message-IDs it threads on. Writes join the
 * caller's transaction (docs/email.md, "Continuity").
 */
export class ContinuityStorage {
  constructor(private readonly database: SqlDatabase) {}

  async link(outboxId: number, messageIds: readonly number[]): Promise<void> {
    await this.database
      .executor()
      .insertInto('helper_continuity_emails')
      .values(messageIds.map((messageId) => ({ outbox_id: outboxId, message_id: messageId })))
      .execute();
  }

  /** The newest continuity email of the conversation that is still pending, if any. */
  async pending(conversationId: number): Promise<PendingContinuity | null> {
    const entry = await this.database
      .executor()
      .selectFrom('helper_outbox')
      .select(['id', 'next_attempt_at'])
      .where('conversation_id', '=', conversationId)
      .where('status', '=', 'pending')
      .where('id', 'in', (eb) => eb.selectFrom('helper_continuity_emails').select('outbox_id'))
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!entry) return null;
    const outboxId = Number(entry.id);
    return {
      outboxId,
      notBefore: new Date(entry.next_attempt_at),
      messageIds: await this.messagesOf(outboxId),
    };
  }

  /** The staff replies an outbox entry carries; none when it is not a continuity email. */
  async messagesOf(outboxId: number): Promise<number[]> {
    const rows = await this.database
      .executor()
      .selectFrom('helper_continuity_emails')
      .select('message_id')
      .where('outbox_id', '=', outboxId)
      .orderBy('message_id')
      .execute();
    return rows.map((row) => Number(row.message_id));
  }

  /** The texts of these messages of the conversation, oldest first. */
  async replies(conversationId: number, messageIds: readonly number[]): Promise<ReplyText[]> {
    const rows = await this.database
      .executor()
      .selectFrom('helper_messages')
      .select(['id', 'body'])
      .where('conversation_id', '=', conversationId)
      .where('id', 'in', [...messageIds])
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ id: Number(row.id), body: row.body }));
  }

  /** Whether a continuity email of the conversation went out since `since`. */
  async sentSince(conversationId: number, since: Date): Promise<boolean> {
    const row = await this.database
      .executor()
      .selectFrom('helper_outbox')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .where('status', '=', 'sent')
      .where('sent_at', '>', since.toISOString())
      .where('id', 'in', (eb) => eb.selectFrom('helper_continuity_emails').select('outbox_id'))
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * The Message-IDs of the conversation's emails, oldest first: those the customer sent and those
   * we sent. A new email threads under them.
   */
  async threadIds(conversationId: number): Promise<string[]> {
    const db = this.database.executor();
    const inbound = await db
      .selectFrom('helper_inbound_emails as inbound')
      .innerJoin('helper_messages as message', 'message.id', 'inbound.message_id')
      .select(['inbound.email_message_id as id', 'inbound.created_at as at'])
      .where('message.conversation_id', '=', conversationId)
      .execute();
    const ours = await db
      .selectFrom('helper_outbox')
      .select(['reply_message_id as id', 'sent_at as at'])
      .where('conversation_id', '=', conversationId)
      .where('status', '=', 'sent')
      .where('reply_message_id', 'is not', null)
      .execute();
    return [...inbound, ...ours]
      .sort((a, b) => String(a.at).localeCompare(String(b.at)))
      .map((row) => row.id!);
  }

  /** How each of these staff replies went out by email: its newest continuity email's state. */
  async deliveries(messageIds: readonly number[]): Promise<Map<number, ContinuityDelivery>> {
    if (messageIds.length === 0) return new Map();
    const rows = await this.database
      .executor()
      .selectFrom('helper_continuity_emails as link')
      .innerJoin('helper_outbox as entry', 'entry.id', 'link.outbox_id')
      .select(['link.message_id', 'entry.status', 'entry.sent_at', 'entry.last_error'])
      .where('link.message_id', 'in', [...messageIds])
      .orderBy('link.outbox_id')
      .execute();
    // Ordered by entry: a reply's newest email overwrites the ones it replaced.
    return new Map(
      rows.map((row) => [
        Number(row.message_id),
        {
          status: DELIVERY_STATUS[row.status] ?? 'queued',
          sentAt: row.sent_at,
          reason: row.status === 'sent' ? null : row.last_error,
        },
      ]),
    );
  }
}
