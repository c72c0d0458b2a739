import type { FieldError } from './errors.js';
import type { CustomerMetadata } from './metadata.js';

/** The JSON body of every helperkit error response. */
export interface ApiErrorBody {
  statusCode: number;
  /** Stable machine-readable code, e.g. `validation_failed`, `expired`. */
  code: string;
  message: string;
  fields?: FieldError[];
}

/** `POST <prefix>/widget/session`: the Helper widget's own field names. */
export interface WidgetSessionRequest {
  email?: string;
  emailHash?: string;
  timestamp?: number;
  /** Exactly as `signIdentity` returned it as `metadata`, when signed. */
  customerMetadata?: CustomerMetadata;
  /** `signIdentity`'s `metadataHash`: signs `customerMetadata` together with the identity. */
  metadataHash?: string;
  /** The previous session token, which keeps an anonymous visitor's conversations. */
  currentToken?: string;
}

export interface WidgetSessionResponse {
  token: string;
  showWidget: boolean;
  title: string;
  customer: { name: string | null } | null;
  /** ISO 8601 time at which `token` stops being accepted. */
  expiresAt: string;
}

export type ConversationStatus = 'open' | 'closed';
export type MessageAuthor = 'customer' | 'staff';
/** Where a conversation or message came from: the chat widget, or an email. */
export type MessageOrigin = 'chat' | 'email';

/** A conversation as clients see it (its public id only). */
export interface ConversationView {
  id: string;
  subject: string | null;
  status: ConversationStatus;
  origin: MessageOrigin;
  createdAt: string;
  lastActivityAt: string;
}

/** A message as clients see it. `body` is plain text: render it as text, never as HTML. */
export interface MessageView {
  /** Increases with every message; `before` cursors use it. */
  id: number;
  conversationId: string;
  author: MessageAuthor;
  body: string;
  origin: MessageOrigin;
  clientId: string | null;
  createdAt: string;
  /** The files the message carries, in upload order. */
  attachments: AttachmentView[];
}

/**
 * A file of a conversation. `url` is a path on the API's host with a token for the viewer of this
 * answer, valid 5 minutes (an `<img>` or link needs no Bearer header); after that, fetch the
 * messages again or `GET /attachments/:id` with the session token.
 */
export interface AttachmentView {
  id: string;
  /** The stored name: no control characters, and the extension of the sniffed type. */
  name: string;
  size: number;
  /** Sniffed from the bytes, from `chat.attachments.types`. */
  contentType: string;
  url: string;
}

/** A part of an inbound email that was not kept, as staff see it. */
export interface RefusedAttachmentView {
  name: string;
  size: number;
  reason: 'type_not_allowed' | 'too_large' | 'empty' | 'too_many';
}

/** An item of `GET /conversations`. */
export interface ConversationSummary extends ConversationView {
  lastMessage: { author: MessageAuthor; preview: string; createdAt: string } | null;
}

/** An item of `GET /staff/conversations`: the summary and what is known of the customer. */
export interface StaffConversationSummary extends ConversationSummary {
  /** `null` for an anonymous visitor. */
  customer: {
    email: string;
    name: string | null;
    value: number | null;
    links: Record<string, string>;
    /** What the host says of the customer's situation, for staff. */
    context: string | null;
  } | null;
  /**
   * False for an email whose sender could not be authenticated: its From address may be forged,
   * so it is kept apart, never shown to that customer and never answered.
   */
  senderVerified: boolean;
}

/** `GET /conversations/:id/messages`: oldest first; `nextBefore` pages back, `null` at the start. */
export interface MessagePage {
  messages: MessageView[];
  nextBefore: number | null;
}

/** How an email was answered: `sent` or `queued` auto-reply, or `skipped` with the rule's name. */
export interface EmailDelivery {
  autoReply: 'sent' | 'queued' | 'skipped';
  skipReason: string | null;
  /** The skip reason in words, for staff. */
  skipReasonText: string | null;
}

/**
 * Who wrote a message, as staff see it: also `note`, an automatic email answer (an out-of-office,
 * a bounce) kept in the conversation for staff only, never shown to the customer.
 */
export type StaffMessageAuthor = MessageAuthor | 'note';

/**
 * A staff reply emailed to a customer who had not read it (continuity): `queued` (waiting for the
 * customer to read it first), `sent` (with when), `cancelled` (with why: read meanwhile, one was
 * sent within the hour, the mailbox's budget) or `failed` (with the SMTP error).
 */
export interface ContinuityDelivery {
  status: 'queued' | 'sent' | 'cancelled' | 'failed';
  sentAt: string | null;
  reason: string | null;
}

/**
 * A message as staff see it: for one that came by email, how it was answered; for a staff reply,
 * whether it was emailed to the customer.
 */
export interface StaffMessageView extends Omit<MessageView, 'author'> {
  author: StaffMessageAuthor;
  email: EmailDelivery | null;
  emailed: ContinuityDelivery | null;
  /** The parts of its email that were not kept (not allowed, too large…): staff only. */
  refusedAttachments: RefusedAttachmentView[];
}

export interface StaffMessagePage {
  messages: StaffMessageView[];
  nextBefore: number | null;
}

/**
 * Data of the server-sent events of `GET /events` and `GET /staff/events`. The event's SSE type
 * is `type`; `ready` comes first on a new stream and carries the position to resume from.
 */
export type HelperEventData =
  | { type: 'message'; conversation: ConversationView; message: MessageView }
  | { type: 'conversation'; conversation: ConversationView };
