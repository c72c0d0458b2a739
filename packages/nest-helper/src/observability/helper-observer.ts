import { Injectable, Logger } from '@nestjs/common';
import type { IdentityVerification } from '@helperkit/core/node';

/** How an identity check ended: verified, or the reason it was refused. */
export type IdentityCheckResult = 'verified' | 'expired' | 'future' | 'mismatch' | 'malformed';

/** A moment the host's tooling may count (docs/operations.md, "The observer"). */
export type HelperObservation =
  | {
      type: 'identity-checked';
      mailbox: string;
      result: IdentityCheckResult;
      /** Which of the mailbox's secrets matched (0 = current, 1 = previous); null when none. */
      secretIndex: number | null;
    }
  | {
      type: 'email-received';
      mailbox: string;
      /** `sent`, `queued`, `duplicate`, or the reason the auto-reply was skipped. */
      outcome: string;
    }
  | { type: 'stream-opened' }
  | { type: 'stream-closed' };

export type HelperObserverListener = (observation: HelperObservation) => void;

/**
 * The module's one hook for metrics: the code reports what happened, listeners (the optional
 * metrics module) count it. With no listener a report costs a loop over an empty array, so the
 * main package needs no metrics library. A listener that throws is logged, never fails the request.
 */
@Injectable()
export class HelperObserver {
  private readonly logger = new Logger('HelperModule');
  private readonly listeners = new Set<HelperObserverListener>();

  /** Adds a listener; answers the function that removes it. */
  subscribe(listener: HelperObserverListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  report(observation: HelperObservation): void {
    for (const listener of this.listeners) {
      try {
        listener(observation);
      } catch (error) {
        this.logger.warn(`observer: a listener failed on ${observation.type} (${String(error)}).`);
      }
    }
  }
}

/** The observation of one identity check, from core's verification result. */
export const identityChecked = (
  mailbox: string,
  verification: IdentityVerification,
): HelperObservation => ({
  type: 'identity-checked',
  mailbox,
  result: verification.ok ? 'verified' : verification.reason,
  secretIndex: verification.ok ? verification.secretIndex : null,
});
