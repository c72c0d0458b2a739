import { sql, type Selectable } from 'kysely';
import type { AttachmentSummary } from '../attachments/attachment.records.js';
import { appendEvent, eventNotice, mailboxOrderLock } from '../storage/event-log.js';
import type { ConversationTable } from '../storage/schema.js';
import { now, type SqlDatabase } from '../storage/sql-database.js';
import { StatementTemplate } from '../storage/statement-template.js';
import {
  STAFF_ONLY,
  type ChatEventData,
  type ConversationOwner,
  type ConversationRecord,
  type EventAudience,
  type MessageRecord,
  type NewMessage,
  type Written,
} from './chat.records.js';
import {
  KyselyConversationStorage,
  toConversation,
  type ConversationStorage,
} from './conversation.storage.js';
import { KyselyEventStorage, type EventStorage } from './event.storage.js';

type Posted = Written<{ conversation: ConversationRecord; message: MessageRecord }>;

/** The event that announces a stored message, and who sees it (a note: staff only). */
export const messageEvent = (
  { conversation, message }: { conversation: ConversationRecord; message: MessageRecord },
  attachments: AttachmentSummary[],
): { owner: EventAudience; data: ChatEventData } => ({
  owner: message.author === 'note' ? STAFF_ONLY : conversation.owner,
  data: { type: 'message', conversation, message, attachments },
});

/**
 * A message without files, webhooks or other work in its transaction, stored with its event in one
 * write, the conversation looked up by its public id in the same write: on PostgreSQL one
 * statement (its own transaction), on SQLite one short transaction. Only for the default
 * conversation and event storage on one database (`over` answers null otherwise). See
 * docs/storage.md, "A chat post".
 */
export class SingleWritePost {
  static over(storage: ConversationStorage, events: EventStorage): SingleWritePost | null {
    const defaults =
      storage instanceof KyselyConversationStorage &&
      events instanceof KyselyEventStorage &&
      storage.database === events.database;
    return defaults ? new SingleWritePost(storage, storage.database) : null;
  }

  private readonly statement = postInOneStatement();

  private constructor(
    private readonly storage: KyselyConversationStorage,
    private readonly database: SqlDatabase,
  ) {}

  /**
   * Adds the message to the mailbox's conversation `publicId` (only when `owner` owns it, when
   * given) and appends its event. Answers what `addMessage` answers, or null when nothing was
   * stored and the caller must find out why: no such conversation (of that owner), or, on
   * PostgreSQL, a repeated client id (the general path then answers the earlier message).
   */
  add(
    mailbox: string,
    publicId: string,
    owner: ConversationOwner | null,
    message: NewMessage,
  ): Promise<Posted | null> {
    return this.database.dialect === 'postgres'
      ? this.addInOneStatement(mailbox, publicId, owner, message)
      : this.database.run(() => this.addInSteps(mailbox, publicId, owner, message));
  }

  private async addInSteps(
    mailbox: string,
    publicId: string,
    owner: ConversationOwner | null,
    message: NewMessage,
  ): Promise<Posted | null> {
    const conversation = await this.storage.findConversation(mailbox, publicId);
    if (!conversation || (owner !== null && conversation.owner !== owner)) return null;
    const stored = await this.storage.addMessage(conversation, message);
    if (stored.created) {
      const event = messageEvent(stored.value, []);
      await appendEvent(this.database, { mailbox, type: 'message', ...event });
    }
    return stored;
  }

  /**
   * Finds the conversation, inserts the message (nothing on a repeated client id), touches the
   * conversation, takes the mailbox's ordering lock and appends the event, built from the rows
   * just written, with its notification. Each step reads the one before, which fixes their order:
   * the lock comes last, after the conversation's row, the order every other write takes them in.
   */
  private async addInOneStatement(
    mailbox: string,
    publicId: string,
    owner: ConversationOwner | null,
    message: NewMessage,
  ): Promise<Posted | null> {
    const at = now();
    const mailboxId = await this.database.mailboxId(mailbox);
    const executor = this.database.executor();
    const query = this.statement.bind(executor, {
      mailbox,
      mailboxId,
      publicId,
      owner,
      author: message.author,
      body: message.body,
      origin: message.origin,
      clientId: message.clientId,
      at,
    });
    // The busiest statement there is: prepared once per connection, not parsed on every post.
    this.database.prepared.keep(query.sql);
    const { rows } = await executor.executeQuery(query);
    const row = rows[0];
    if (!row) return null;
    const conversation = toConversation(row, mailbox);
    const stored: MessageRecord = {
      id: Number(row.message_id),
      conversationId: conversation.id,
      author: message.author,
      body: message.body,
      origin: message.origin,
      clientId: message.clientId,
      createdAt: at,
    };
    // The event reaches the streams through its notification, like every other instance's.
    return { value: { conversation, message: stored }, created: true };
  }
}

/**
 * The message event's JSON, as `messageEvent` makes it and `toConversation` / `toMessage` map the
 * rows (the same keys, in the same order), from the `ordered` (conversation) and `message` rows.
 */
const messageEventJson = (mailbox: string) => sql`json_build_object(
  'type', 'message',
  'conversation', json_build_object('id', ordered.id, 'publicId', ordered.public_id,
    'mailbox', ${mailbox}::text, 'owner', ordered.owner, 'customerEmail', ordered.customer_email,
    'subject', ordered.subject, 'status', ordered.status, 'origin', ordered.origin,
    'createdAt', ordered.created_at, 'lastActivityAt', ordered.last_activity_at),
  'message', json_build_object('id', message.id, 'conversationId', message.conversation_id,
    'author', message.author, 'body', message.body, 'origin', message.origin,
    'clientId', message.client_id, 'createdAt', message.created_at),
  'attachments', json_build_array())::text`;

interface PostValues extends Record<string, unknown> {
  mailbox: string;
  mailboxId: number;
  publicId: string;
  owner: ConversationOwner | null;
  author: NewMessage['author'];
  body: string;
  origin: NewMessage['origin'];
  clientId: string | null;
  at: string;
}

/** The PostgreSQL statement of `addInOneStatement`, compiled once per database. */
const postInOneStatement = () =>
  new StatementTemplate<
    PostValues,
    Selectable<ConversationTable> & { message_id: number; event_id: number }
  >(
    (value) => sql`
    with found as (
      select id from helper_conversations
      where mailbox_id = ${value.mailboxId}::integer and public_id = ${value.publicId}::text
        and (${value.owner}::text is null or owner = ${value.owner}::text)
    ), message as (
      insert into helper_messages (conversation_id, author, body, origin, client_id, created_at)
      select found.id, ${value.author}::text, ${value.body}::text, ${value.origin}::text,
        ${value.clientId}::text, ${value.at}::text
      from found
      on conflict (conversation_id, author, client_id) do nothing
      returning *
    ), touched as (
      -- A customer writing again reopens a closed conversation: staff must see it.
      update helper_conversations as c set last_activity_at = ${value.at}::text,
        status = case when message.author = 'customer' then 'open' else c.status end
      from message where c.id = message.conversation_id
      returning c.*
    ), ordered as (
      select touched.*, ${mailboxOrderLock(value.mailboxId)} from touched
    ), event as (
      insert into helper_events (mailbox_id, owner, type, payload, created_at)
      select ${value.mailboxId}::integer,
        case when message.author = 'note' then ${STAFF_ONLY}::text else ordered.owner end,
        'message', ${messageEventJson(value.mailbox)}, ${value.at}::text
      from ordered, message
      returning id, ${eventNotice(value.mailbox)}
    )
    select touched.*, message.id as message_id, event.id as event_id
    from touched, message, event
  `,
  );
