import type { StaffConversationSummary } from '@helperkit/core';
import type { CaughtMail } from '../../server/caught-mail.js';
// Shapes of the demo's own endpoints (/demo/...); helperkit's come from @helperkit/core.

/** A staff list item with read state and the customer's rating (helperkit's chat module). */
export interface InboxConversation extends StaffConversationSummary {
  /** Customer messages staff have not read yet. */
  unreadCount: number;
  /** The last message the customer has read: "Seen" under staff replies up to it. */
  customerLastReadId: number | null;
  rating: { rating: 'good' | 'bad'; comment: string | null; createdAt: string } | null;
}

export interface DemoCustomer {
  email: string;
  name: string;
  value: number;
}

export interface CustomersAnswer {
  customers: DemoCustomer[];
  /** The logged-in customer's email; `null` for an anonymous visitor. */
  current: string | null;
}

export interface SecretStatus {
  current: string;
  previous: number;
  /** When the previous secret last verified an identity (ISO 8601), null when not since start. */
  previousLastUsed: string | null;
}

export type { CaughtMail };

export interface MailAnswer {
  smtp: string;
  supportAddress: string;
  messages: CaughtMail[];
}

export const TEST_EMAIL_KINDS = {
  customer: "A customer's email",
  autoresponder: 'An autoresponder (Auto-Submitted)',
  'mailing-list': 'A mailing list (List-Id)',
  bounce: 'A bounce (Return-Path: <>)',
} as const;

export type TestEmailKind = keyof typeof TEST_EMAIL_KINDS;

export interface TestEmailAnswer {
  status: number;
  answer: { conversationId?: string; duplicate?: boolean; autoReply?: string; skipReason?: string };
  raw: string;
}
