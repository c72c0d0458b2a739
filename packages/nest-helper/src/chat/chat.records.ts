import type { ConversationStatus, MessageAuthor, MessageOrigin } from '@helperkit/core';
import type { AttachmentSummary } from '../attachments/attachment.records.js';

// The chat's domain records: what the chat's storage keeps and its services work with. API views
// are built from them at the edge (views.ts), never stored.

export type { ConversationStatus, MessageAuthor };
export type Origin = MessageOrigin;

/**
 * Whose conversation it is: `email:<verified address>`, `visitor:<anonymous id>`, or
 * `unverified:<id>` for an email whose sender could not be authenticated (or a mail system's
 * report without a sender): staff see it, no customer ever does.
 */
export type ConversationOwner = `email:${string}` | `visitor:${string}` | `unverified:${string}`;

export interface ConversationRecord {
  /** The database's id: internal, never shown to clients. */
  id: number;
  /** The id clients use: random, so it reveals nothing and cannot be guessed. */
  publicId: string;
  mailbox: string;
  owner: ConversationOwner;
  customerEmail: string | null;
  subject: string | null;
  status: ConversationStatus;
  origin: Origin;
  createdAt: string;
  lastActivityAt: string;
}

export interface MessageRecord {
  /** Increases with every message: a cursor for paging. */
  id: number;
  conversationId: number;
  author: MessageAuthor;
  body: string;
  origin: Origin;
  clientId: string | null;
  createdAt: string;
}

export interface NewMessage {
  author: MessageAuthor;
  body: string;
  origin: Origin;
  /** The client's id for the message: posting it again stores nothing new. */
  clientId: string | null;
}

export interface NewConversation {
  mailbox: string;
  owner: ConversationOwner;
  customerEmail: string | null;
  subject: string | null;
  origin: Origin;
  /** The client's id for the conversation: starting it again stores nothing new. */
  clientId: string | null;
  firstMessage: NewMessage;
}

/** What a write stored; `created` is false when an idempotency key matched an earlier write. */
export interface Written<T> {
  value: T;
  created: boolean;
}

export interface Page {
  offset: number;
  limit: number;
}

/** A change in a conversation, as domain data: what the event log keeps. */
export type ChatEventData =
  | {
      type: 'message';
      conversation: ConversationRecord;
      message: MessageRecord;
      /** The message's files (absent in events stored before attachments). */
      attachments?: AttachmentSummary[];
    }
  | { type: 'conversation'; conversation: ConversationRecord };

/** A change, kept in order: live streams send it, and a reconnecting client resumes from its id. */
export interface ChatEvent {
  /** Increases with every event, in commit order: the SSE event id. */
  id: number;
  mailbox: string;
  owner: ConversationOwner;
  data: ChatEventData;
}
