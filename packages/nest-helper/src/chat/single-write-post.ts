import { sql } from 'kysely';
import type { AttachmentSummary } from '../attachments/attachment.records.js';
import { appendEvent, eventNotice, mailboxOrderLock } from '../storage/event-log.js';
import { now, type SqlDatabase } from '../storage/sql-database.js';
import {
  STAFF_ONLY,
  type ChatEventData,
  type ConversationRecord,
  type EventAudience,
  type MessageRecord,
  type NewMessage,
  type Written,
} from './chat.records.js';
import { KyselyConversationStorage, type ConversationStorage } from './conversation.storage.js';
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

// The message's id is drawn by the statement that stores the event too, so the event's JSON is
// sent in two parts, joined around the id. A marker id makes the split point: JSON escapes every
// quote inside a string, so this text can only be the message's own key.
const MARKER_ID = -1;
const MARKER = `"message":{"id":${MARKER_ID}`;

/**
 * A message without files, webhooks or other work in its transaction, stored with its event in one
 * write: on PostgreSQL one statement (its own transaction), on SQLite one short transaction.
 * Only for the default conversation and event storage on one database (`over` answers null
 * otherwise); the result is what `addMessage` answers. See docs/storage.md, "A chat post".
 */
export class SingleWritePost {
  static over(storage: ConversationStorage, events: EventStorage): SingleWritePost | null {
    const defaults =
      storage instanceof KyselyConversationStorage &&
      events instanceof KyselyEventStorage &&
      storage.database === events.database;
    return defaults ? new SingleWritePost(storage, storage.database) : null;
  }

  private constructor(
    private readonly storage: KyselyConversationStorage,
    private readonly database: SqlDatabase,
  ) {}

  add(conversation: ConversationRecord, message: NewMessage): Promise<Posted> {
    return this.database.dialect === 'postgres'
      ? this.addInOneStatement(conversation, message)
      : this.database.run(() => this.addInSteps(conversation, message));
  }

  private async addInSteps(conversation: ConversationRecord, message: NewMessage) {
    const stored = await this.storage.addMessage(conversation, message);
    if (stored.created) {
      const { owner, data } = messageEvent(stored.value, []);
      await appendEvent(this.database, {
        mailbox: conversation.mailbox,
        owner,
        type: 'message',
        data,
      });
    }
    return stored;
  }

  /**
   * Inserts the message (nothing on a repeated client id), then touches the conversation, takes
   * the mailbox's ordering lock and appends the event with its notification: each step reads the
   * one before, which fixes their order, so the lock is taken last, after the conversation's row
   * (the order every other write takes them in). A repeated client id stores nothing, appends no
   * event, and answers the earlier message.
   */
  private async addInOneStatement(
    conversation: ConversationRecord,
    message: NewMessage,
  ): Promise<Posted> {
    const at = now();
    const mailboxId = await this.database.mailboxId(conversation.mailbox);
    // A customer writing again reopens a closed conversation: staff must see it.
    const status = message.author === 'customer' ? 'open' : conversation.status;
    const touched: ConversationRecord = { ...conversation, status, lastActivityAt: at };
    const record = (id: number): MessageRecord => ({
      id,
      conversationId: conversation.id,
      author: message.author,
      body: message.body,
      origin: message.origin,
      clientId: message.clientId,
      createdAt: at,
    });
    const { owner, data } = messageEvent({ conversation: touched, message: record(MARKER_ID) }, []);
    const json = JSON.stringify(data);
    const split = json.indexOf(MARKER) + MARKER.length - String(MARKER_ID).length;
    const { rows } = await sql<{ id: number }>`
      with message as (
        insert into helper_messages (conversation_id, author, body, origin, client_id, created_at)
        values (${conversation.id}::integer, ${message.author}::text, ${message.body}::text,
          ${message.origin}::text, ${message.clientId}::text, ${at}::text)
        on conflict (conversation_id, author, client_id) do nothing
        returning id
      ), touched as (
        update helper_conversations set last_activity_at = ${at}::text, status = ${status}::text
        where id = ${conversation.id}::integer and exists (select from message)
        returning id
      ), ordered as (
        select message.id, ${mailboxOrderLock(mailboxId)} from message, touched
      ), event as (
        insert into helper_events (mailbox_id, owner, type, payload, created_at)
        select ${mailboxId}::integer, ${owner}::text, 'message',
          ${json.slice(0, split)}::text || ordered.id || ${json.slice(split + String(MARKER_ID).length)}::text,
          ${at}::text
        from ordered
        returning id, ${eventNotice(conversation.mailbox)}
      )
      select message.id from message, event
    `.execute(this.database.executor());
    // Nothing stored: the client id matched an earlier message, which addMessage answers.
    if (rows.length === 0) return this.storage.addMessage(conversation, message);
    // The event reaches the streams through its notification (the feed's committed() has no part
    // on PostgreSQL), like every other instance's.
    return {
      value: { conversation: touched, message: record(Number(rows[0]!.id)) },
      created: true,
    };
  }
}
