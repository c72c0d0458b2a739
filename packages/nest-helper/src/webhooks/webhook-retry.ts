import { Inject } from '@nestjs/common';
import { backoffMs } from '../outbox/outbox-sender.js';

/** How webhooks are timed: each attempt, and the retries after a failed one (docs/webhooks.md). */
export interface WebhookTiming {
  /** How long an attempt may take before it counts as failed. */
  timeoutMs: number;
  /** The wait after the first failed attempt; doubled after each further one. */
  firstRetryMs: number;
  /** The longest wait between two attempts. */
  maxRetryMs: number;
  /** How long after it was queued a webhook is given up. */
  giveUpAfterMs: number;
}

export const DEFAULT_WEBHOOK_TIMING: WebhookTiming = {
  timeoutMs: 10_000,
  firstRetryMs: 5_000,
  maxRetryMs: 6 * 60 * 60_000,
  giveUpAfterMs: 3 * 24 * 60 * 60_000,
};

/** Replaced in tests, so a retry comes within the test's time. */
export const HELPER_WEBHOOK_TIMING = 'HELPER_WEBHOOK_TIMING';
export const InjectWebhookTiming = (): ParameterDecorator => Inject(HELPER_WEBHOOK_TIMING);

/**
 * The wait before the next attempt after `attempts` failed ones, or null when the next attempt
 * would come later than `giveUpAfterMs` after the webhook was queued.
 */
export function webhookRetryDelayMs(
  timing: WebhookTiming,
  attempts: number,
  queuedAt: Date,
  now = Date.now(),
): number | null {
  const delay = backoffMs(attempts, timing.firstRetryMs, timing.maxRetryMs);
  return now + delay - queuedAt.getTime() > timing.giveUpAfterMs ? null : delay;
}
