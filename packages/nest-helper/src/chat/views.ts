import type { ConversationView, HelperEventData, MessageView } from '@helperkit/core';
import type {
  ChatEventData,
  ConversationRecord,
  MessageRecord,
  RecordAuthor,
} from './chat.records.js';

// The API's views of the domain records, built at the edge: storage never knows them.

export type { ConversationView, MessageView };

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
): NoteableMessageView => ({
  id: message.id,
  conversationId: conversation.publicId,
  author: message.author,
  body: message.body,
  origin: message.origin,
  clientId: message.clientId,
  createdAt: message.createdAt,
});

/**
 * The view of a customer's or staff's message, as both sides see it. A note here is a bug that
 * would show it to a customer: it fails loudly instead.
 */
export function toChatMessageView(
  message: MessageRecord,
  conversation: ConversationRecord,
): MessageView {
  const { author } = message;
  if (author === 'note') throw new Error('A note is for staff views only.');
  return { ...toMessageView(message, conversation), author };
}

/**
 * The view of a stored event. Events stored before events held domain records carry the view
 * already (their conversation has no `publicId`): they pass through as they are.
 */
export function toEventView(data: ChatEventData): HelperEventData {
  if (!('publicId' in data.conversation)) return data as unknown as HelperEventData;
  const conversation = toConversationView(data.conversation);
  return data.type === 'message'
    ? {
        type: 'message',
        conversation,
        // A note's event is recorded for staff streams only (STAFF_ONLY), never an owner's.
        message: toMessageView(data.message, data.conversation) as MessageView,
      }
    : { type: 'conversation', conversation };
}
