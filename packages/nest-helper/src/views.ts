import type { ConversationView, MessageView } from '@helperkit/core';
import type { ConversationRecord, MessageRecord } from './storage/storage.js';

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
