import type { ConversationRecord, MessageRecord } from './storage/storage.js';

/** A conversation as clients see it: the public id only, never the database's own. */
export interface ConversationView {
  id: string;
  subject: string | null;
  status: ConversationRecord['status'];
  origin: ConversationRecord['origin'];
  createdAt: string;
  lastActivityAt: string;
}

/** A message as clients see it. The body is plain text, to be rendered escaped. */
export interface MessageView {
  id: number;
  conversationId: string;
  author: MessageRecord['author'];
  body: string;
  origin: MessageRecord['origin'];
  clientId: string | null;
  createdAt: string;
}

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
