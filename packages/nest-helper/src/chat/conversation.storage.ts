import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { ConversationTable, MessageTable } from '../storage/schema.js';
import { now, type SqlDatabase } from '../storage/sql-database.js';
import type {
  ConversationOwner,
  ConversationRecord,
  ConversationStatus,
  MessageRecord,
  NewConversation,
  NewMessage,
  Page,
  Written,
} from './chat.records.js';

/**
 * Conversations and their messages. Writes join the transaction the caller runs in
 * (`HelperTransactions`), so a message and its event commit together. Replace it through the
 * `HELPER_CONVERSATION_STORAGE` token (docs/storage.md).
 */
export interface ConversationStorage {
  /** Starts a conversation with its first message; idempotent on the conversation's client id. */
  createConversation(
    input: NewConversation,
  ): Promise<Written<{ conversation: ConversationRecord; message: MessageRecord }>>;
  findConversation(mailbox: string, publicId: string): Promise<ConversationRecord | null>;
  /** The same by internal id (as the email records keep it). */
  findConversationById(mailbox: string, id: number): Promise<ConversationRecord | null>;
  /** A customer's conversations (with `owner`) or a mailbox's: open first, newest activity first. */
  listConversations(
    mailbox: string,
    filter: { owner?: ConversationOwner; status?: ConversationStatus },
    page: Page,
  ): Promise<ConversationRecord[]>;
  /**
   * Adds a message and touches the conversation (a customer's message reopens it); idempotent on
   * the message's client id. Answers the conversation as it is after the write.
   */
  addMessage(
    conversation: ConversationRecord,
    message: NewMessage,
  ): Promise<Written<{ conversation: ConversationRecord; message: MessageRecord }>>;
  /**
   * The newest `limit` messages older than `before` (all when absent), oldest first. Notes only
   * with `notes: true` (staff's views): a customer's never carry them.
   */
  listMessages(
    conversationId: number,
    options: { before?: number; limit: number; notes?: boolean },
  ): Promise<MessageRecord[]>;
  /** The latest message of each conversation, for previews; notes only with `notes: true`. */
  latestMessages(
    conversationIds: readonly number[],
    options?: { notes?: boolean },
  ): Promise<Map<number, MessageRecord>>;
  /** Sets the status; `created` is false when it already had it. */
  setStatus(
    conversation: ConversationRecord,
    status: ConversationStatus,
  ): Promise<Written<ConversationRecord>>;
}

/** 18 random bytes: unguessable, and safe in URLs. */
const newPublicId = () => `c_${randomBytes(18).toString('base64url')}`;

export const toConversation = (
  row: Selectable<ConversationTable>,
  mailbox: string,
): ConversationRecord => ({
  id: Number(row.id),
  publicId: row.public_id,
  mailbox,
  owner: row.owner as ConversationOwner,
  customerEmail: row.customer_email,
  subject: row.subject,
  status: row.status as ConversationStatus,
  origin: row.origin as ConversationRecord['origin'],
  createdAt: row.created_at,
  lastActivityAt: row.last_activity_at,
});

export const toMessage = (row: Selectable<MessageTable>): MessageRecord => ({
  id: Number(row.id),
  conversationId: Number(row.conversation_id),
  author: row.author as MessageRecord['author'],
  body: row.body,
  origin: row.origin as MessageRecord['origin'],
  clientId: row.client_id,
  createdAt: row.created_at,
});

/** The default conversation storage, in the SQL database (SQLite or PostgreSQL). */
export class KyselyConversationStorage implements ConversationStorage {
  constructor(readonly database: SqlDatabase) {}

  createConversation(
    input: NewConversation,
  ): Promise<Written<{ conversation: ConversationRecord; message: MessageRecord }>> {
    return this.database.run(async () => {
      const db = this.database.executor();
      const mailboxId = await this.database.mailboxId(input.mailbox);
      const at = now();
      const row = await db
        .insertInto('helper_conversations')
        .values({
          public_id: newPublicId(),
          mailbox_id: mailboxId,
          owner: input.owner,
          customer_email: input.customerEmail,
          subject: input.subject,
          status: 'open',
          origin: input.origin,
          client_id: input.clientId,
          created_at: at,
          last_activity_at: at,
        })
        .onConflict((conflict) =>
          conflict.columns(['mailbox_id', 'owner', 'client_id']).doNothing(),
        )
        .returningAll()
        .executeTakeFirst();
      if (!row) {
        const existing = await db
          .selectFrom('helper_conversations')
          .selectAll()
          .where('mailbox_id', '=', mailboxId)
          .where('owner', '=', input.owner)
          .where('client_id', '=', input.clientId!)
          .executeTakeFirstOrThrow();
        const conversation = toConversation(existing, input.mailbox);
        return {
          value: { conversation, message: await this.firstMessage(conversation.id) },
          created: false,
        };
      }
      const conversation = toConversation(row, input.mailbox);
      const { message } = await this.insertMessage(conversation.id, input.firstMessage, at);
      return { value: { conversation, message }, created: true };
    });
  }

  async findConversation(mailbox: string, publicId: string): Promise<ConversationRecord | null> {
    const row = await this.database
      .executor()
      .selectFrom('helper_conversations')
      .selectAll()
      .where('mailbox_id', '=', await this.database.mailboxId(mailbox))
      .where('public_id', '=', publicId)
      .executeTakeFirst();
    return row ? toConversation(row, mailbox) : null;
  }

  async findConversationById(mailbox: string, id: number): Promise<ConversationRecord | null> {
    const row = await this.database
      .executor()
      .selectFrom('helper_conversations')
      .selectAll()
      .where('mailbox_id', '=', await this.database.mailboxId(mailbox))
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toConversation(row, mailbox) : null;
  }

  async listConversations(
    mailbox: string,
    filter: { owner?: ConversationOwner; status?: ConversationStatus },
    page: Page,
  ): Promise<ConversationRecord[]> {
    let query = this.database
      .executor()
      .selectFrom('helper_conversations')
      .selectAll()
      .where('mailbox_id', '=', await this.database.mailboxId(mailbox));
    if (filter.owner !== undefined) query = query.where('owner', '=', filter.owner);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    // Open conversations first, then the newest activity.
    const rows = await query
      .orderBy((eb) => eb.case().when('status', '=', 'open').then(0).else(1).end(), 'asc')
      .orderBy('last_activity_at', 'desc')
      .orderBy('id', 'desc')
      .offset(page.offset)
      .limit(page.limit)
      .execute();
    return rows.map((row) => toConversation(row, mailbox));
  }

  addMessage(
    conversation: ConversationRecord,
    message: NewMessage,
  ): Promise<Written<{ conversation: ConversationRecord; message: MessageRecord }>> {
    return this.database.run(async () => {
      const at = now();
      const stored = await this.insertMessage(conversation.id, message, at);
      if (!stored.created)
        return { value: { conversation, message: stored.message }, created: false };
      // A customer writing again reopens a closed conversation: staff must see it.
      const status = message.author === 'customer' ? 'open' : conversation.status;
      const row = await this.database
        .executor()
        .updateTable('helper_conversations')
        .set({ last_activity_at: at, status })
        .where('id', '=', conversation.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return {
        value: { conversation: toConversation(row, conversation.mailbox), message: stored.message },
        created: true,
      };
    });
  }

  async listMessages(
    conversationId: number,
    { before, limit, notes = false }: { before?: number; limit: number; notes?: boolean },
  ): Promise<MessageRecord[]> {
    let query = this.database
      .executor()
      .selectFrom('helper_messages')
      .selectAll()
      .where('conversation_id', '=', conversationId);
    if (before !== undefined) query = query.where('id', '<', before);
    if (!notes) query = query.where('author', '<>', 'note');
    const rows = await query.orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toMessage).reverse();
  }

  async latestMessages(
    conversationIds: readonly number[],
    { notes = false }: { notes?: boolean } = {},
  ): Promise<Map<number, MessageRecord>> {
    if (conversationIds.length === 0) return new Map();
    const rows = await this.database
      .executor()
      .selectFrom('helper_messages')
      .selectAll()
      .where('id', 'in', (eb) => {
        const latest = eb
          .selectFrom('helper_messages')
          .select((inner) => inner.fn.max('id').as('id'))
          .where('conversation_id', 'in', [...conversationIds]);
        return (notes ? latest : latest.where('author', '<>', 'note')).groupBy('conversation_id');
      })
      .execute();
    return new Map(rows.map((row) => [Number(row.conversation_id), toMessage(row)]));
  }

  async setStatus(
    conversation: ConversationRecord,
    status: ConversationStatus,
  ): Promise<Written<ConversationRecord>> {
    const row = await this.database
      .executor()
      .updateTable('helper_conversations')
      .set({ status })
      .where('id', '=', conversation.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return {
      value: toConversation(row, conversation.mailbox),
      created: conversation.status !== status,
    };
  }

  private async insertMessage(conversationId: number, message: NewMessage, at: string) {
    const db = this.database.executor();
    // A repeated client id conflicts and inserts nothing: the earlier message is the answer.
    const row = await db
      .insertInto('helper_messages')
      .values({
        conversation_id: conversationId,
        author: message.author,
        body: message.body,
        origin: message.origin,
        client_id: message.clientId,
        created_at: at,
      })
      .onConflict((conflict) =>
        conflict.columns(['conversation_id', 'author', 'client_id']).doNothing(),
      )
      .returningAll()
      .executeTakeFirst();
    if (row) return { message: toMessage(row), created: true };
    const existing = await db
      .selectFrom('helper_messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('author', '=', message.author)
      .where('client_id', '=', message.clientId!)
      .executeTakeFirstOrThrow();
    return { message: toMessage(existing), created: false };
  }

  private async firstMessage(conversationId: number): Promise<MessageRecord> {
    const row = await this.database
      .executor()
      .selectFrom('helper_messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .orderBy('id', 'asc')
      .limit(1)
      .executeTakeFirstOrThrow();
    return toMessage(row);
  }
}
