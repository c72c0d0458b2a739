import { Injectable, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
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
export const REPLACED_EVENT = {
  type: 'replaced',
  data: { message: 'A newer connection of the same customer took the place of this one.' },
} as const;

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

/**
 * Ends `stream` with a last `replaced` event once a newer stream of its owner takes its place
 * (at once if that happened already). For a request that `StreamLimitGuard` admitted.
 */
export function endWhenReplaced(
  request: object,
  stream: { finish(type: string, data: object): void },
): void {
  (request as StreamRequest)[TICKET]?.onReplaced(() =>
    stream.finish(REPLACED_EVENT.type, REPLACED_EVENT.data),
  );
}

/**
 * The stream caps on a customer event stream route: per client IP (429 beyond it) and per owner
 * (the oldest stream makes way, see `endWhenReplaced`). See docs/limits.md.
 */
export const LimitStreams = () => UseGuards(StreamLimitGuard);
