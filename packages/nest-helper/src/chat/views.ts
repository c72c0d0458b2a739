import type {
  AttachmentView,
  ConversationSummary,
  ConversationView,
  HelperEventData,
  MessageView,
  StaffConversationSummary,
} from '@helperkit/core';
import type { AttachmentSummary } from '../attachments/attachment.records.js';
import type {
  ChatEventData,
  ConversationRecord,
  MessageRecord,
  RecordAuthor,
} from './chat.records.js';
import type { RatingRecord } from './rating.storage.js';
import type { ReadSide } from './read-state.storage.js';

// The API's views of the domain records, built at the edge: storage never knows them.

export type { ConversationView, MessageView };

/** A customer's rating as the API shows it. */
export type RatingView = RatingRecord;

/** A conversation in a list, with what the caller's side has not read yet. */
export interface UnreadSummary extends ConversationSummary {
  /** The other side's messages after the caller's side's last read. */
  unreadCount: number;
  /** The customer's rating, once given. */
  rating: RatingView | null;
}

/** A conversation in the staff's list: also how far the customer has read. */
export interface StaffUnreadSummary extends StaffConversationSummary, UnreadSummary {
  /** The last message the customer has read (`null`: none yet): "Seen" under a staff reply. */
  customerLastReadId: number | null;
}

/** Read state, rating and typing, next to the events every stream has had from the start. */
export type ChatEventView =
  | HelperEventData
  | { type: 'read'; conversation: ConversationView; side: ReadSide; lastReadId: number }
  | { type: 'rating'; conversation: ConversationView; rating: RatingView };

/** `typing`: sent live to the other side, never stored, so it has no event id. */
export interface TypingEventView {
  type: 'typing';
  conversationId: string;
  side: ReadSide;
}

/**
 * A message view whose author may be `note`: only staff get one (the storage leaves notes out of
 * every customer query, and a note's event goes to staff streams only).
 */
export type NoteableMessageView = Omit<MessageView, 'author'> & { author: RecordAuthor };

export const toConversationView = (conversation: ConversationRecord): ConversationView => ({
  id: conversation.publicId,
  subject: conversation.subject,
  status: conversation.status,
  origin: conversation.origin,
  createdAt: conversation.createdAt,
  lastActivityAt: conversation.lastActivityAt,
});

export const toMessageView = (
  message: MessageRecord,
  conversation: ConversationRecord,
  attachments: AttachmentView[] = [],
): NoteableMessageView => ({
  id: message.id,
  conversationId: conversation.publicId,
  author: message.author,
  body: message.body,
  origin: message.origin,
  clientId: message.clientId,
  createdAt: message.createdAt,
  attachments,
});

/** The views of a message's files, with links signed for whoever reads the answer. */
export type AttachmentViews = (files: readonly AttachmentSummary[]) => AttachmentView[];

/**
 * The view of a customer's or staff's message, as both sides see it. A note here is a bug that
 * would show it to a customer: it fails loudly instead.
 */
export function toChatMessageView(
  message: MessageRecord,
  conversation: ConversationRecord,
  attachments: AttachmentView[] = [],
): MessageView {
  const { author } = message;
  if (author === 'note') throw new Error('A note is for staff views only.');
  return { ...toMessageView(message, conversation, attachments), author };
}

/**
 * The view of a stored event. Events stored before events held domain records carry the view
 * already (their conversation has no `publicId`): they pass through as they are.
 */
export function toEventView(data: ChatEventData, views: AttachmentViews): ChatEventView {
  if (!('publicId' in data.conversation)) return data as unknown as HelperEventData;
  const conversation = toConversationView(data.conversation);
  switch (data.type) {
    case 'message':
      return {
        type: 'message',
        conversation,
        // A note's event is recorded for staff streams only (STAFF_ONLY), never an owner's.
        message: toMessageView(
          data.message,
          data.conversation,
          views(data.attachments ?? []),
        ) as MessageView,
      };
    case 'read':
      return { type: 'read', conversation, side: data.side, lastReadId: data.lastReadId };
    case 'rating':
      return { type: 'rating', conversation, rating: data.rating };
    default:
      return { type: 'conversation', conversation };
  }
}
