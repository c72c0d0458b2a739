import type { OutboxEntry, OutboxKind } from './outbox.storage.js';

/**
 * Delivers the outbox entries of one kind (docs/outbox.md). A feature module registers its sender
 * with `OutboxService.register` when it starts; entries of a kind no instance has a sender for
 * wait in the outbox.
 */
export interface OutboxSender {
  readonly kind: OutboxKind;
  /**
   * Delivers one entry; throws when it did not go out. Answers `cancelled` (with the reason) when
   * the entry need not go out any more.
   */
  deliver(entry: OutboxEntry): Promise<void | { cancelled: string }>;
  /** Runs in the transaction that marks the entry sent: bookkeeping that must agree with it. */
  delivered?(entry: OutboxEntry): Promise<void>;
  /**
   * The wait before the next attempt after `attempts` failed ones, or null to give up. `error` is
   * what the last attempt threw: a sender gives up at once on an error it knows is final.
   */
  retryDelayMs(attempts: number, error: unknown): number | null;
}

/** Exponential backoff from `firstMs`, capped at `maxMs`, with jitter (half to all of it). */
export const backoffMs = (attempts: number, firstMs: number, maxMs: number): number => {
  const delay = Math.min(firstMs * 2 ** (attempts - 1), maxMs);
  return delay / 2 + Math.random() * (delay / 2);
};
