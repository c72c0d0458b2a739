import type { ConversationStatus, MessageAuthor, MessageOrigin } from '@helperkit/core';
import type { AttachmentSummary } from '../attachments/attachment.records.js';
import type { RatingRecord } from './rating.storage.js';
import type { ReadSide } from './read-state.storage.js';

// The chat's domain records: what the chat's storage keeps and its services work with. API views
// are built from them at the edge (views.ts), never stored.

export type { ConversationStatus, MessageAuthor };

/**
 * Who wrote a stored message: the customer, staff, or `note`: what the mail system of a customer
 * answered on its own (an out-of-office to a continuity email). Staff see notes; no customer view
 * or stream ever carries one (docs/email.md, "Continuity").
 */
export type RecordAuthor = MessageAuthor | 'note';

/** Events of a conversation go to its owner's streams; a note's go to staff streams only. */
export const STAFF_ONLY = 'staff-only';
export type EventAudience = ConversationOwner | typeof STAFF_ONLY;
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
  author: RecordAuthor;
  body: string;
  origin: Origin;
  clientId: string | null;
  createdAt: string;
}

export interface NewMessage {
  author: RecordAuthor;
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
  | { type: 'conversation'; conversation: ConversationRecord }
  | { type: 'read'; conversation: ConversationRecord; side: ReadSide; lastReadId: number }
  | { type: 'rating'; conversation: ConversationRecord; rating: RatingRecord };

/** A change, kept in order: live streams send it, and a reconnecting client resumes from its id. */
export interface ChatEvent {
  /** Increases with every event, in commit order: the SSE event id. */
  id: number;
  mailbox: string;
  owner: EventAudience;
  data: ChatEventData;
}
