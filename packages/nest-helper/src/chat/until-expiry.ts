import type { MessageEvent } from '@nestjs/common';
import { Observable, type Subscription } from 'rxjs';

// setTimeout cannot wait longer than about 24.8 days; tokens live 7 days at most.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The stream until `expiresAt`, then a last `expired` event and the end: a stream must not keep
 * delivering after its token has expired.
 */
export function untilExpiry(
  events: Observable<MessageEvent>,
  expiresAt: Date | undefined,
): Observable<MessageEvent> {
  if (expiresAt === undefined) return events;
  return new Observable<MessageEvent>((subscriber) => {
    const expired = () => {
      subscriber.next({ type: 'expired', data: { reason: 'The session token has expired.' } });
      subscriber.complete();
    };
    const wait = expiresAt.getTime() - Date.now();
    if (wait <= 0) {
      expired();
      return undefined;
    }
    // An observer of its own: subscribing `subscriber` itself would make ending close it too.
    const subscription: Subscription = events.subscribe({
      next: (event) => subscriber.next(event),
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    const timer = setTimeout(
      () => {
        subscription.unsubscribe();
        expired();
      },
      Math.min(wait, MAX_TIMER_MS),
    );
    timer.unref?.();
    return () => {
      clearTimeout(timer);
      subscription.unsubscribe();
    };
  });
}
