import type {
  ConversationView,
  MessageView,
  StaffMessageAuthor,
  StaffMessageView,
} from '@helperkit/core';

// What the module announces, as Nest events and as webhooks alike (docs/webhooks.md). The data
// are staff views: both go to the host's own backend, never to a customer.

/** Every event name, in the order the docs list them. */
export const HELPER_EVENT_NAMES = [
  'helper.conversation.created',
  'helper.message.created',
  'helper.conversation.closed',
  'helper.email.received',
  'helper.rating.created',
] as const;

export type HelperEventName = (typeof HELPER_EVENT_NAMES)[number];

/** A conversation as the staff know it: its public view plus who it belongs to. */
export interface HelperEventConversation extends ConversationView {
  mailbox: string;
  /** The customer's address; null for an anonymous visitor. */
  customerEmail: string | null;
  /** False for an email whose sender could not be authenticated (its From may be forged). */
  senderVerified: boolean;
}

/** A customer's rating of a closed conversation. */
export interface HelperEventRating {
  rating: 'good' | 'bad';
  comment: string | null;
  createdAt: string;
}

/**
 * A message as staff see it: its author may be `note` (an automatic email answer, staff only). It
 * names no files: their links are signed for one reader and expire within minutes, while an event
 * may be delivered days later; read the message through the staff API for its files.
 */
export type HelperEventMessage = Omit<MessageView, 'author' | 'attachments'> & {
  author: StaffMessageAuthor;
};

/** The `data` of each event. */
export interface HelperEventDataMap {
  /** A conversation was started (by a customer in the widget, or by an email); with its first message. */
  'helper.conversation.created': {
    conversation: HelperEventConversation;
    message: HelperEventMessage;
  };
  /** A message was stored: every message, a conversation's first one included. */
  'helper.message.created': { conversation: HelperEventConversation; message: HelperEventMessage };
  /** Staff closed a conversation. */
  'helper.conversation.closed': { conversation: HelperEventConversation };
  /** An email was received and stored as a message; `message.email` tells how it was answered. */
  'helper.email.received': {
    conversation: HelperEventConversation;
    message: Omit<StaffMessageView, 'attachments' | 'refusedAttachments'>;
    /** The email's own Message-ID header. */
    emailMessageId: string;
  };
  /** A customer rated a closed conversation. */
  'helper.rating.created': { conversation: HelperEventConversation; rating: HelperEventRating };
}

/** One event: the JSON body of its webhook, and the payload of its Nest event. */
export interface HelperEvent<TName extends HelperEventName = HelperEventName> {
  type: TName;
  /** When it happened (ISO 8601). */
  timestamp: string;
  data: HelperEventDataMap[TName];
}

/** Any one event, narrowed by its `type`. */
export type AnyHelperEvent = { [TName in HelperEventName]: HelperEvent<TName> }[HelperEventName];
