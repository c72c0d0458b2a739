import type { ConversationRecord, MessageRecord } from '../chat/chat.records.js';
import { toConversationView, toMessageView } from '../chat/views.js';
import { skipReasonText } from '../email/skip-reasons.js';
import type {
  HelperEvent,
  HelperEventConversation,
  HelperEventName,
  HelperEventRating,
} from './helper-events.js';

// The events built from domain records, at the edge as every other view (docs/webhooks.md).

const event = <TName extends HelperEventName>(
  type: TName,
  data: HelperEvent<TName>['data'],
): HelperEvent<TName> => ({ type, timestamp: new Date().toISOString(), data });

const staffConversation = (conversation: ConversationRecord): HelperEventConversation => ({
  ...toConversationView(conversation),
  mailbox: conversation.mailbox,
  customerEmail: conversation.customerEmail,
  senderVerified: !conversation.owner.startsWith('unverified:'),
});

/** A message's view without its files (see `HelperEventMessage`). */
const eventMessage = (message: MessageRecord, conversation: ConversationRecord) => {
  const { attachments: _files, ...view } = toMessageView(message, conversation);
  return view;
};

/** What `ConversationsService` stores: a conversation with a message. */
interface Stored {
  conversation: ConversationRecord;
  message: MessageRecord;
}

export const conversationCreated = ({ conversation, message }: Stored) =>
  event('helper.conversation.created', {
    conversation: staffConversation(conversation),
    message: eventMessage(message, conversation),
  });

export const messageCreated = ({ conversation, message }: Stored) =>
  event('helper.message.created', {
    conversation: staffConversation(conversation),
    message: eventMessage(message, conversation),
  });

/** A new conversation's events: it was created, and so was its first message. */
export const startEvents = (stored: Stored) => [
  conversationCreated(stored),
  messageCreated(stored),
];

export const conversationClosed = (conversation: ConversationRecord) =>
  event('helper.conversation.closed', { conversation: staffConversation(conversation) });

/** How the email was answered when it was stored (an auto-reply is `queued` until it leaves). */
export interface EmailAnswerFacts {
  emailMessageId: string;
  autoReply: 'queued' | 'skipped';
  skipReason: string | null;
}

export const emailReceived = ({ conversation, message }: Stored, answer: EmailAnswerFacts) =>
  event('helper.email.received', {
    conversation: staffConversation(conversation),
    message: {
      ...eventMessage(message, conversation),
      email: {
        autoReply: answer.autoReply,
        skipReason: answer.skipReason,
        skipReasonText: skipReasonText(answer.skipReason),
      },
      // An email from the customer is never a staff reply that could have been emailed.
      emailed: null,
    },
    emailMessageId: answer.emailMessageId,
  });

export const ratingCreated = (conversation: ConversationRecord, rating: HelperEventRating) =>
  event('helper.rating.created', {
    conversation: staffConversation(conversation),
    rating: { rating: rating.rating, comment: rating.comment, createdAt: rating.createdAt },
  });
