import type { OutboxEntry } from '../outbox/outbox.storage.js';

/**
 * A last check before an email of the outbox goes out: answers why it need not go out any more,
 * or null to send it. The email sender stays generic; a feature that queues emails which may turn
 * out unneeded (continuity emails) decides here (docs/outbox.md, "Delivery").
 */
export interface EmailPrecondition {
  cancelReason(entry: OutboxEntry): Promise<string | null>;
}

export const HELPER_EMAIL_PRECONDITION = 'HELPER_EMAIL_PRECONDITION';
