import {
  applyDecorators,
  Injectable,
  UseGuards,
  UseInterceptors,
  type CanActivate,
  type CallHandler,
  type ExecutionContext,
  type MessageEvent,
  type NestInterceptor,
} from '@nestjs/common';
import { AsyncSubject, finalize, map, merge, takeUntil, type Observable } from 'rxjs';
import { ownerOf } from '../chat/owners.js';
import { sessionOf } from '../identity/session.guard.js';
import { clientIpKey } from './client-ip.js';
import { withRetryAfter } from './rate-limited.error.js';
import { StreamSlots, type StreamTicket } from './stream-slots.service.js';

const TICKET = Symbol('helperStreamTicket');

interface StreamRequest {
  ip?: string;
  [TICKET]?: StreamTicket;
}

type CloseSource = { closed?: boolean; once(event: 'close', listener: () => void): unknown };

/** The last event of a stream that a newer stream of the same customer replaced. */
export const REPLACED_EVENT: MessageEvent = {
  type: 'replaced',
  data: { message: 'A newer connection of the same customer took the place of this one.' },
};

/**
 * Admits a customer event stream under the stream caps before its headers go out (an error
 * later could no longer be a 429). Runs after `SessionGuard`. The place is freed when the
 * connection closes, however it closes.
 */
@Injectable()
export class StreamLimitGuard implements CanActivate {
  constructor(private readonly slots: StreamSlots) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    const session = sessionOf(context);
    if (!session) return Promise.resolve(false);
    const http = context.switchToHttp();
    const request = http.getRequest<StreamRequest>();
    const response = http.getResponse<CloseSource & { raw?: CloseSource }>();
    return withRetryAfter(context, async () => {
      const ticket = await this.slots.open(
        `${session.mailbox} ${ownerOf(session)}`,
        clientIpKey(request.ip),
      );
      request[TICKET] = ticket;
      const connection = response.raw ?? response;
      // A client that left while it was admitted gets no stream: nothing else would free it.
      if (connection.closed) ticket.release();
      else connection.once('close', () => ticket.release());
    });
  }
}

/** Ends a stream with a last `replaced` event once a newer stream of its owner replaced it. */
@Injectable()
export class StreamReplacedInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler<MessageEvent>): Observable<MessageEvent> {
    const ticket = context.switchToHttp().getRequest<StreamRequest>()[TICKET];
    if (!ticket) return next.handle();
    // Remembers the replacement for whoever subscribes later, even after it happened.
    const replaced = new AsyncSubject<void>();
    ticket.onReplaced(() => {
      replaced.next();
      replaced.complete();
    });
    return merge(
      next.handle().pipe(takeUntil(replaced)),
      replaced.pipe(map(() => REPLACED_EVENT)),
    ).pipe(finalize(() => ticket.release()));
  }
}

/**
 * The stream caps on a customer event stream route: per client IP (429 beyond it) and per owner
 * (the oldest stream makes way). See docs/limits.md.
 */
export const LimitStreams = () =>
  applyDecorators(UseGuards(StreamLimitGuard), UseInterceptors(StreamReplacedInterceptor));
