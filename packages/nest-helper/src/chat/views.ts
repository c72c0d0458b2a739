import type {
  AttachmentView,
  ConversationView,
  HelperEventData,
  MessageView,
} from '@helperkit/core';
import type { AttachmentSummary } from '../attachments/attachment.records.js';
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
  attachments: AttachmentView[] = [],
): MessageView => ({
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
 * The view of a stored event. Events stored before events held domain records carry the view
 * already (their conversation has no `publicId`): they pass through as they are.
 */
export function toEventView(data: ChatEventData, views: AttachmentViews): HelperEventData {
  if (!('publicId' in data.conversation)) return data as unknown as HelperEventData;
  const conversation = toConversationView(data.conversation);
  return data.type === 'message'
    ? {
        type: 'message',
        conversation,
        message: toMessageView(data.message, data.conversation, views(data.attachments ?? [])),
      }
    : { type: 'conversation', conversation };
}
