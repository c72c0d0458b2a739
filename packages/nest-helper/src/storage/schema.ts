import type { Generated } from 'kysely';

// Column types that both SQLite and PostgreSQL hold the same way: booleans as 0/1 integers and
// times as ISO 8601 text, so one query layer and one row mapper serve both.

export interface MailboxTable {
  id: Generated<number>;
  slug: string;
  display_mode: string;
  min_value: number;
  title: string;
  auto_respond_email_to_chat: number;
  widget_host: string | null;
  allow_anonymous: number;
  created_at: string;
  updated_at: string;
}

export interface CustomerTable {
  id: Generated<number>;
  mailbox_id: number;
  email: string;
  name: string | null;
  value: number | null;
  /** JSON object of link names to URLs. */
  links: string;
  context: string | null;
  /** Who set the metadata: `host` (resolveCustomer), `signed` (metadataHash) or `client`. */
  metadata_source: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface ConversationTable {
  id: Generated<number>;
  public_id: string;
  mailbox_id: number;
  owner: string;
  customer_email: string | null;
  subject: string | null;
  status: string;
  origin: string;
  client_id: string | null;
  created_at: string;
  last_activity_at: string;
}

export interface MessageTable {
  id: Generated<number>;
  conversation_id: number;
  author: string;
  body: string;
  origin: string;
  client_id: string | null;
  created_at: string;
}

export interface EventTable {
  id: Generated<number>;
  mailbox_id: number;
  owner: string;
  type: string;
  /** JSON of the event's data. */
  payload: string;
  created_at: string;
}

export interface InboundEmailTable {
  id: Generated<number>;
  mailbox_id: number;
  email_message_id: string;
  message_id: number;
  auto_reply: string;
  skip_reason: string | null;
  created_at: string;
}

export interface OutboxTable {
  id: Generated<number>;
  /** `email` or `webhook` (docs/outbox.md). */
  kind: string;
  mailbox_id: number;
  inbound_id: number | null;
  conversation_id: number | null;
  recipient: string | null;
  reply_message_id: string | null;
  /** JSON of what the kind's sender needs (for email: the nodemailer message). */
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface ProviderTokenTable {
  token: string;
  email_message_id: string;
  created_at: string;
}

/** A staff reply carried by a continuity email (an outbox entry). */
export interface ContinuityEmailTable {
  outbox_id: number;
  message_id: number;
}

export interface HelperDatabase {
  helper_continuity_emails: ContinuityEmailTable;
  helper_provider_tokens: ProviderTokenTable;
  helper_mailboxes: MailboxTable;
  helper_customers: CustomerTable;
  helper_conversations: ConversationTable;
  helper_messages: MessageTable;
  helper_events: EventTable;
  helper_inbound_emails: InboundEmailTable;
  helper_outbox: OutboxTable;
}

export type SqlDialectName = 'sqlite' | 'postgres';
