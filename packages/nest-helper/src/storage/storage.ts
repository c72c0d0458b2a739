import type {
  ConversationStatus,
  CustomerMetadata,
  EmailDelivery,
  HelperEventData,
  MessageAuthor,
  MessageOrigin,
  Validation,
  WidgetSettings,
} from '@helperkit/core';

/** A customer as stored: what the widget and the host said of them, shown to support staff. */
export interface CustomerRecord {
  id: number;
  mailbox: string;
  email: string;
  name: string | null;
  value: number | null;
  links: Record<string, string>;
  updatedAt: string;
}

export type { ConversationStatus, MessageAuthor, HelperEventData };
export type Origin = MessageOrigin;

/** Whose conversation it is: `email:<verified address>` or `visitor:<anonymous id>`. */
export type ConversationOwner = `email:${string}` | `visitor:${string}`;

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

/** A change, kept in order: live streams send it, and a reconnecting client resumes from its id. */
export interface HelperEvent {
  /** Increases with every event: the SSE event id. */
  id: number;
  mailbox: string;
  owner: ConversationOwner;
  data: HelperEventData;
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

/** What a write stored, and the events it recorded in the same transaction. */
export interface Stored<T> {
  value: T;
  /** False when an idempotency key matched an earlier write: nothing new was stored. */
  created: boolean;
  events: HelperEvent[];
}

export interface Page {
  offset: number;
  limit: number;
}

export type AutoReplyStatus = 'sent' | 'queued' | 'skipped';

/** A composed auto-reply, ready for the outbox. */
export interface OutboxDraft {
  recipient: string;
  /** The reply's own Message-ID: an answer to the reply threads into the same conversation. */
  replyMessageId: string;
  /** The nodemailer message, as JSON. */
  payload: unknown;
}

/** An email that reached the mailbox, reduced to what storage keeps. */
export interface InboundEmailInput {
  mailbox: string;
  owner: ConversationOwner;
  customerEmail: string;
  subject: string | null;
  /** The message's Message-ID: delivering it again stores and answers nothing new. */
  emailMessageId: string;
  /** In-Reply-To and References: a match puts the message in that conversation. */
  threadIds: string[];
  body: string;
  /** Who an auto-reply would go to (Reply-To, else From), for the rate window; null for none. */
  replyRecipient: string | null;
  rateWindowMs: number;
  /**
   * Decides the auto-reply once the conversation is known, inside the transaction: a draft to
   * queue, or the reason for none.
   */
  decide(context: {
    conversation: ConversationRecord;
    isFirstMessage: boolean;
    answeredWithinWindow: boolean;
  }): { draft: OutboxDraft } | { skipReason: string };
}

export interface InboundEmailResult {
  conversation: ConversationRecord;
  message: MessageRecord;
  /** True when this Message-ID was stored before: nothing new was stored or queued. */
  duplicate: boolean;
  autoReply: AutoReplyStatus;
  skipReason: string | null;
  outboxId: number | null;
}

export interface OutboxEntry {
  id: number;
  mailbox: string;
  recipient: string;
  payload: unknown;
  attempts: number;
}

/**
 * Everything helperkit keeps, behind one interface so that SQLite (the default) and PostgreSQL
 * serve the same services and pass the same tests. Storage knows nothing of HTTP.
 */
export interface HelperStorage {
  /** Creates the mailboxes that do not exist yet, with the default settings. */
  ensureMailboxes(slugs: readonly string[]): Promise<void>;
  /** The mailbox's settings, or `null` for an unknown mailbox. */
  getSettings(mailbox: string): Promise<WidgetSettings | null>;
  /**
   * Reads the settings, lets `update` compute the next ones and stores them, in one transaction,
   * so that concurrent updates of different fields all survive. Nothing is stored when `update`
   * answers a failure. `null` for an unknown mailbox.
   */
  updateSettings(
    mailbox: string,
    update: (current: WidgetSettings) => Validation<WidgetSettings>,
  ): Promise<Validation<WidgetSettings> | null>;
  getCustomer(mailbox: string, email: string): Promise<CustomerRecord | null>;
  /** Creates or updates a customer; fields absent from `metadata` keep their stored value. */
  upsertCustomer(
    mailbox: string,
    email: string,
    metadata: CustomerMetadata,
  ): Promise<CustomerRecord>;

  /** Starts a conversation with its first message; idempotent on the conversation's client id. */
  createConversation(
    input: NewConversation,
  ): Promise<Stored<{ conversation: ConversationRecord; message: MessageRecord }>>;
  findConversation(mailbox: string, publicId: string): Promise<ConversationRecord | null>;
  /** A customer's conversations (with `owner`) or a mailbox's: open first, newest activity first. */
  listConversations(
    mailbox: string,
    filter: { owner?: ConversationOwner; status?: ConversationStatus },
    page: Page,
  ): Promise<ConversationRecord[]>;
  /** Adds a message and touches the conversation; idempotent on the message's client id. */
  addMessage(conversation: ConversationRecord, message: NewMessage): Promise<Stored<MessageRecord>>;
  /** The newest `limit` messages older than `before` (all when absent), oldest first. */
  listMessages(
    conversationId: number,
    options: { before?: number; limit: number },
  ): Promise<MessageRecord[]>;
  /** The latest message of each conversation, for previews. */
  latestMessages(conversationIds: readonly number[]): Promise<Map<number, MessageRecord>>;
  setConversationStatus(
    conversation: ConversationRecord,
    status: ConversationStatus,
  ): Promise<Stored<ConversationRecord>>;
  /** Events after `afterId`, oldest first: a customer's (with `owner`) or a whole mailbox's. */
  eventsAfter(
    mailbox: string,
    filter: { owner?: ConversationOwner },
    afterId: number,
    limit: number,
  ): Promise<HelperEvent[]>;
  /** The id of the newest event a stream with this filter would see, 0 when there is none. */
  lastEventId(mailbox: string, filter: { owner?: ConversationOwner }): Promise<number>;
  /**
   * Calls `listener` with every event committed from now on, in id order: this instance's, and
   * with PostgreSQL every other instance's too. Answers a function that stops the calls.
   */
  watchEvents(listener: (event: HelperEvent) => void): () => void;

  /** How each of these messages that came by email was answered, by message id. */
  emailDeliveries(messageIds: readonly number[]): Promise<Map<number, EmailDelivery>>;
  /** Stores an inbound email and, when `decide` says so, queues its auto-reply, atomically. */
  recordInboundEmail(input: InboundEmailInput): Promise<Stored<InboundEmailResult>>;
  /**
   * Takes due outbox entries (or the one with `id`) for sending: each is leased to this caller
   * until `leaseMs` from `now`, so no other instance sends it meanwhile.
   */
  claimOutbox(options: {
    now: Date;
    leaseMs: number;
    limit: number;
    id?: number;
  }): Promise<OutboxEntry[]>;
  /** Records a send: done, or failed with the time of the next attempt (`null`: give up). */
  completeOutbox(
    id: number,
    outcome: { sent: true; at: Date } | { sent: false; error: string; retryAt: Date | null },
  ): Promise<void>;

  close(): Promise<void>;
}
