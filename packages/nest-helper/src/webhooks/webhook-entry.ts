import type { HelperEventName } from '../events/helper-events.js';

/**
 * What an outbox entry of kind `webhook` carries: one event for one endpoint. The secret is not in
 * it (it stays in the options); the body is kept as the exact bytes that are signed and sent.
 */
export interface WebhookEntryPayload {
  url: string;
  /** The `webhook-id`: the same on every attempt, so a receiver can drop a repeat. */
  id: string;
  type: HelperEventName;
  body: string;
  /** When it was queued: retries end three days after (docs/webhooks.md, "Retries"). */
  queuedAt: string;
}
