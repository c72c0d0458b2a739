import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { EventFeed } from './event-feed.js';
import { toConversationView, toMessageView } from '../views.js';
import type {
  ConversationTable,
  EventTable,
  HelperDatabase,
  MessageTable,
  SqlDialectName,
} from './schema.js';
import type {
  ConversationOwner,
  ConversationRecord,
  ConversationStatus,
  HelperEvent,
  HelperEventData,
  MessageRecord,
  NewConversation,
  NewMessage,
  Page,
  Stored,
} from './storage.js';

export type Db = Kysely<HelperDatabase> | Transaction<HelperDatabase>;

export const now = () => new Date().toISOString();

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

const toEvent = (row: Selectable<EventTable>, mailbox: string): HelperEvent => ({
  id: Number(row.id),
  mailbox,
  owner: row.owner as ConversationOwner,
  data: JSON.parse(row.payload) as HelperEventData,
});

export async function mailboxId(db: Db, slug: string): Promise<number> {
  const row = await db
    .selectFrom('helper_mailboxes')
    .select('id')
    .where('slug', '=', slug)
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Channel of the PostgreSQL notifications that carry committed event ids to every instance. */
export const EVENTS_CHANNEL = 'helperkit_events';
/** Key of the transaction-level advisory lock that orders event ids by commit (PostgreSQL). */
const EVENT_ORDER_LOCK = 7_219_001;

async function recordEvent(
  db: Db,
  dialect: SqlDialectName,
  conversation: ConversationRecord,
  data: HelperEventData,
): Promise<HelperEvent> {
  if (dialect === 'postgres') {
    // Concurrent transactions could otherwise commit a later id before an earlier one, and a
    // stream that resumes "after id N" would miss the earlier event for good. Held to commit.
    await sql`select pg_advisory_xact_lock(${EVENT_ORDER_LOCK})`.execute(db);
  }
  const row = await db
    .insertInto('helper_events')
    .values({
      mailbox_id: await mailboxId(db, conversation.mailbox),
      owner: conversation.owner,
      type: data.type,
      payload: JSON.stringify(data),
      created_at: now(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  // Delivered on commit, in commit order, to every instance listening.
  if (dialect === 'postgres')
    await sql`select pg_notify(${EVENTS_CHANNEL}, ${String(row.id)})`.execute(db);
  return toEvent(row, conversation.mailbox);
}

/** Every mailbox's events after `afterId`, oldest first: what a listening instance catches up on. */
export async function allEventsAfter(
  db: Db,
  afterId: number,
  limit: number,
): Promise<HelperEvent[]> {
  const rows = await db
    .selectFrom('helper_events')
    .innerJoin('helper_mailboxes', 'helper_mailboxes.id', 'helper_events.mailbox_id')
    .selectAll('helper_events')
    .select('helper_mailboxes.slug')
    .where('helper_events.id', '>', afterId)
    .orderBy('helper_events.id', 'asc')
    .limit(limit)
    .execute();
  return rows.map((row) => toEvent(row, row.slug));
}

async function insertMessage(db: Db, conversationId: number, message: NewMessage, at: string) {
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

async function firstMessage(db: Db, conversationId: number): Promise<MessageRecord> {
  const row = await db
    .selectFrom('helper_messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .orderBy('id', 'asc')
    .limit(1)
    .executeTakeFirstOrThrow();
  return toMessage(row);
}

/** Starts a conversation with its first message, inside the caller's transaction. */
export async function insertConversation(
  trx: Db,
  dialect: SqlDialectName,
  input: NewConversation,
): Promise<Stored<{ conversation: ConversationRecord; message: MessageRecord }>> {
  const at = now();
  const row = await trx
    .insertInto('helper_conversations')
    .values({
      public_id: newPublicId(),
      mailbox_id: await mailboxId(trx, input.mailbox),
      owner: input.owner,
      customer_email: input.customerEmail,
      subject: input.subject,
      status: 'open',
      origin: input.origin,
      client_id: input.clientId,
      created_at: at,
      last_activity_at: at,
    })
    .onConflict((conflict) => conflict.columns(['mailbox_id', 'owner', 'client_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) {
    const existing = await trx
      .selectFrom('helper_conversations')
      .selectAll()
      .where('mailbox_id', '=', await mailboxId(trx, input.mailbox))
      .where('owner', '=', input.owner)
      .where('client_id', '=', input.clientId!)
      .executeTakeFirstOrThrow();
    const conversation = toConversation(existing, input.mailbox);
    return {
      value: { conversation, message: await firstMessage(trx, conversation.id) },
      created: false,
      events: [],
    };
  }
  const conversation = toConversation(row, input.mailbox);
  const { message } = await insertMessage(trx, conversation.id, input.firstMessage, at);
  const event = await recordEvent(trx, dialect, conversation, {
    type: 'message',
    conversation: toConversationView(conversation),
    message: toMessageView(message, conversation),
  });
  return { value: { conversation, message }, created: true, events: [event] };
}

/** Adds a message and touches its conversation, inside the caller's transaction. */
export async function appendMessage(
  trx: Db,
  dialect: SqlDialectName,
  conversation: ConversationRecord,
  message: NewMessage,
): Promise<Stored<MessageRecord>> {
  const at = now();
  const { message: stored, created } = await insertMessage(trx, conversation.id, message, at);
  if (!created) return { value: stored, created, events: [] };
  // A customer writing again reopens a closed conversation: staff must see it.
  const status = message.author === 'customer' ? 'open' : conversation.status;
  const row = await trx
    .updateTable('helper_conversations')
    .set({ last_activity_at: at, status })
    .where('id', '=', conversation.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const updated = toConversation(row, conversation.mailbox);
  const event = await recordEvent(trx, dialect, updated, {
    type: 'message',
    conversation: toConversationView(updated),
    message: toMessageView(stored, updated),
  });
  return { value: stored, created, events: [event] };
}

/** Conversation and message storage over Kysely, for every dialect. */
export class KyselyConversations {
  constructor(
    protected readonly db: Kysely<HelperDatabase>,
    protected readonly dialect: SqlDialectName,
    private readonly feed: EventFeed,
  ) {}

  /** Runs a writing transaction, then hands the events it recorded to the live streams. */
  protected async write<T extends Stored<unknown>>(
    work: (trx: Transaction<HelperDatabase>) => Promise<T>,
  ): Promise<T> {
    const stored = await this.db.transaction().execute(work);
    this.feed.committed(stored.events);
    return stored;
  }

  watchEvents(listener: (event: HelperEvent) => void): () => void {
    return this.feed.watch(listener);
  }

  createConversation(
    input: NewConversation,
  ): Promise<Stored<{ conversation: ConversationRecord; message: MessageRecord }>> {
    return this.write((trx) => insertConversation(trx, this.dialect, input));
  }

  async findConversation(mailbox: string, publicId: string): Promise<ConversationRecord | null> {
    const row = await this.db
      .selectFrom('helper_conversations')
      .innerJoin('helper_mailboxes', 'helper_mailboxes.id', 'helper_conversations.mailbox_id')
      .selectAll('helper_conversations')
      .where('helper_mailboxes.slug', '=', mailbox)
      .where('helper_conversations.public_id', '=', publicId)
      .executeTakeFirst();
    return row ? toConversation(row, mailbox) : null;
  }

  async listConversations(
    mailbox: string,
    filter: { owner?: ConversationOwner; status?: ConversationStatus },
    page: Page,
  ): Promise<ConversationRecord[]> {
    let query = this.db
      .selectFrom('helper_conversations')
      .selectAll()
      .where('mailbox_id', '=', await mailboxId(this.db, mailbox));
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
  ): Promise<Stored<MessageRecord>> {
    return this.write((trx) => appendMessage(trx, this.dialect, conversation, message));
  }

  async listMessages(
    conversationId: number,
    { before, limit }: { before?: number; limit: number },
  ): Promise<MessageRecord[]> {
    let query = this.db
      .selectFrom('helper_messages')
      .selectAll()
      .where('conversation_id', '=', conversationId);
    if (before !== undefined) query = query.where('id', '<', before);
    const rows = await query.orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toMessage).reverse();
  }

  async latestMessages(conversationIds: readonly number[]): Promise<Map<number, MessageRecord>> {
    if (conversationIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('helper_messages')
      .selectAll()
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('helper_messages')
          .select((inner) => inner.fn.max('id').as('id'))
          .where('conversation_id', 'in', [...conversationIds])
          .groupBy('conversation_id'),
      )
      .execute();
    return new Map(rows.map((row) => [Number(row.conversation_id), toMessage(row)]));
  }

  setConversationStatus(
    conversation: ConversationRecord,
    status: ConversationStatus,
  ): Promise<Stored<ConversationRecord>> {
    return this.write(async (trx) => {
      const row = await trx
        .updateTable('helper_conversations')
        .set({ status })
        .where('id', '=', conversation.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const updated = toConversation(row, conversation.mailbox);
      if (conversation.status === status) return { value: updated, created: false, events: [] };
      const event = await recordEvent(trx, this.dialect, updated, {
        type: 'conversation',
        conversation: toConversationView(updated),
      });
      return { value: updated, created: true, events: [event] };
    });
  }

  async eventsAfter(
    mailbox: string,
    filter: { owner?: ConversationOwner },
    afterId: number,
    limit: number,
  ): Promise<HelperEvent[]> {
    let query = this.db
      .selectFrom('helper_events')
      .selectAll()
      .where('mailbox_id', '=', await mailboxId(this.db, mailbox))
      .where('id', '>', afterId);
    if (filter.owner !== undefined) query = query.where('owner', '=', filter.owner);
    const rows = await query.orderBy('id', 'asc').limit(limit).execute();
    return rows.map((row) => toEvent(row, mailbox));
  }

  async lastEventId(mailbox: string, filter: { owner?: ConversationOwner }): Promise<number> {
    let query = this.db
      .selectFrom('helper_events')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('mailbox_id', '=', await mailboxId(this.db, mailbox));
    if (filter.owner !== undefined) query = query.where('owner', '=', filter.owner);
    const row = await query.executeTakeFirst();
    return Number(row?.id ?? 0);
  }
}
