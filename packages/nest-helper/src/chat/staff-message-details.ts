import type { ContinuityDelivery, EmailDelivery } from '@helperkit/core';

export type { ContinuityDelivery };

/**
 * What another feature adds to the messages staff read: the email module tells how each message
 * that came by email was answered. Provided under this token by `HelperEmailModule`; without it,
 * staff messages carry `email: null` (docs/architecture.md: features depend on the chat, never
 * the chat on them).
 */
export interface StaffMessageDetails {
  emailDeliveries(messageIds: readonly number[]): Promise<Map<number, EmailDelivery>>;
  /** How each of these staff replies went out by email (continuity), by message id. */
  continuityEmails?(messageIds: readonly number[]): Promise<Map<number, ContinuityDelivery>>;
}

export const HELPER_STAFF_MESSAGE_DETAILS = 'HELPER_STAFF_MESSAGE_DETAILS';
