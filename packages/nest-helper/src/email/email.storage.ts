import { now, type SqlDatabase } from '../storage/sql-database.js';

/** An inbound email as stored: which message it became and how it was answered. */
export interface InboundRecord {
  id: number;
  /** The chat message it was stored as (internal id). */
  messageId: number;
  /** Its conversation (internal id). */
  conversationId: number;
  autoReply: 'sent' | 'queued' | 'skipped';
  skipReason: string | null;
}

/** How long a used provider token is remembered: longer than any signature stays fresh. */
const TOKEN_KEPT_MS = 60 * 60 * 1000;

/** How an inbound email was answered. */
export type EmailAnswer = Pick<InboundRecord, 'autoReply' | 'skipReason'>;

/**
 * Inbound email records, keyed by Message-ID per mailbox. Writes join the caller's transaction.
 * Replace it through `HELPER_EMAIL_STORAGE` (docs/storage.md).
 */
export interface EmailStorage {
  /** The email stored earlier under this Message-ID, if any. */
  findInbound(mailbox: string, emailMessageId: string): Promise<InboundRecord | null>;
  /** The conversation (internal id) of the newest stored email among these Message-IDs. */
  conversationOfEmails(mailbox: string, emailMessageIds: readonly string[]): Promise<number | null>;
  recordInbound(input: {
    mailbox: string;
    emailMessageId: string;
    messageId: number;
    autoReply: 'queued' | 'skipped';
    skipReason: string | null;
  }): Promise<number>;
  /**
   * Records a provider's single-use token (Mailgun's) for a message: `new` the first time,
   * `same-message` when the provider retries that message, `other-message` for a replay.
   */
  useProviderToken(
    token: string,
    emailMessageId: string,
  ): Promise<'new' | 'same-message' | 'other-message'>;
  /** Marks the auto-reply of an inbound email as sent. */
  markAnswered(inboundId: number): Promise<void>;
  /** How each of these messages that came by email was answered, by message id. */
  deliveries(messageIds: readonly number[]): Promise<Map<number, EmailAnswer>>;
}

/** The default email storage, in the SQL database. */
export class KyselyEmailStorage implements EmailStorage {
  constructor(private readonly database: SqlDatabase) {}

  async findInbound(mailbox: string, emailMessageId: string): Promise<InboundRecord | null> {
    const row = await this.database
      .executor()
      .selectFrom('helper_inbound_emails as inbound')
      .innerJoin('helper_messages as message', 'message.id', 'inbound.message_id')
      .select([
        'inbound.id',
        'inbound.message_id',
        'inbound.auto_reply',
        'inbound.skip_reason',
        'message.conversation_id',
      ])
      .where('inbound.mailbox_id', '=', await this.database.mailboxId(mailbox))
      .where('inbound.email_message_id', '=', emailMessageId)
      .executeTakeFirst();
    if (!row) return null;
    return {
      id: Number(row.id),
      messageId: Number(row.message_id),
      conversationId: Number(row.conversation_id),
      autoReply: row.auto_reply as InboundRecord['autoReply'],
      skipReason: row.skip_reason,
    };
  }

  async conversationOfEmails(
    mailbox: string,
    emailMessageIds: readonly string[],
  ): Promise<number | null> {
    if (emailMessageIds.length === 0) return null;
    const row = await this.database
      .executor()
      .selectFrom('helper_inbound_emails as inbound')
      .innerJoin('helper_messages as message', 'message.id', 'inbound.message_id')
      .select('message.conversation_id')
      .where('inbound.mailbox_id', '=', await this.database.mailboxId(mailbox))
      .where('inbound.email_message_id', 'in', [...emailMessageIds])
      .orderBy('inbound.id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? Number(row.conversation_id) : null;
  }

  async recordInbound(input: {
    mailbox: string;
    emailMessageId: string;
    messageId: number;
    autoReply: 'queued' | 'skipped';
    skipReason: string | null;
  }): Promise<number> {
    const row = await this.database
      .executor()
      .insertInto('helper_inbound_emails')
      .values({
        mailbox_id: await this.database.mailboxId(input.mailbox),
        email_message_id: input.emailMessageId,
        message_id: input.messageId,
        auto_reply: input.autoReply,
        skip_reason: input.skipReason,
        created_at: now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async useProviderToken(
    token: string,
    emailMessageId: string,
  ): Promise<'new' | 'same-message' | 'other-message'> {
    const db = this.database.executor();
    const at = new Date();
    // A token outlives its signature's 2-minute window by far here; older ones can go.
    await db
      .deleteFrom('helper_provider_tokens')
      .where('created_at', '<', new Date(at.getTime() - TOKEN_KEPT_MS).toISOString())
      .execute();
    const inserted = await db
      .insertInto('helper_provider_tokens')
      .values({ token, email_message_id: emailMessageId, created_at: at.toISOString() })
      .onConflict((conflict) => conflict.column('token').doNothing())
      .returning('token')
      .executeTakeFirst();
    if (inserted) return 'new';
    const earlier = await db
      .selectFrom('helper_provider_tokens')
      .select('email_message_id')
      .where('token', '=', token)
      .executeTakeFirstOrThrow();
    return earlier.email_message_id === emailMessageId ? 'same-message' : 'other-message';
  }

  async markAnswered(inboundId: number): Promise<void> {
    await this.database
      .executor()
      .updateTable('helper_inbound_emails')
      .set({ auto_reply: 'sent' })
      .where('id', '=', inboundId)
      .execute();
  }

  async deliveries(messageIds: readonly number[]): Promise<Map<number, EmailAnswer>> {
    if (messageIds.length === 0) return new Map();
    const rows = await this.database
      .executor()
      .selectFrom('helper_inbound_emails')
      .select(['message_id', 'auto_reply', 'skip_reason'])
      .where('message_id', 'in', [...messageIds])
      .execute();
    return new Map(
      rows.map((row) => [
        Number(row.message_id),
        { autoReply: row.auto_reply as InboundRecord['autoReply'], skipReason: row.skip_reason },
      ]),
    );
  }
}
