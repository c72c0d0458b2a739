import type { ConversationView, HelperEventData, MessageView } from '@helperkit/core';
import type { ChatEventData, ConversationRecord, MessageRecord } from './chat.records.js';

// The API's views of the domain records, built at the edge: storage never knows them.

export type { ConversationView, MessageView };

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
): MessageView => ({
  id: message.id,
  conversationId: conversation.publicId,
  author: message.author,
  body: message.body,
  origin: message.origin,
  clientId: message.clientId,
  createdAt: message.createdAt,
});

/**
 * The view of a stored event. Events stored before events held domain records carry the view
 * already (their conversation has no `publicId`): they pass through as they are.
 */
export function toEventView(data: ChatEventData): HelperEventData {
  if (!('publicId' in data.conversation)) return data as unknown as HelperEventData;
  const conversation = toConversationView(data.conversation);
  return data.type === 'message'
    ? { type: 'message', conversation, message: toMessageView(data.message, data.conversation) }
    : { type: 'conversation', conversation };
}
