import { HttpStatus, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HelperHttpError } from '../errors.js';
import { ResponseWriter } from '../http/response-writer.js';
import { sessionOf } from '../identity/session.guard.js';
import { ownerOf } from './owners.js';
import { RateLimiter } from './rate-limiter.js';

/** Messages one customer may post per minute: generous for a person, a wall for a script. */
export const MESSAGES_PER_MINUTE = 30;

/**
 * Limits how fast one identity (a verified email or an anonymous visitor) posts messages. Runs
 * after `SessionGuard`, which put the session on the request.
 */
@Injectable()
export class MessageRateLimitGuard implements CanActivate {
  private readonly limiter = new RateLimiter(MESSAGES_PER_MINUTE, 60_000);

  constructor(private readonly responses: ResponseWriter) {}

  canActivate(context: ExecutionContext): boolean {
    const session = sessionOf(context);
    if (!session) return false;
    const outcome = this.limiter.take(`${session.mailbox} ${ownerOf(session)}`);
    if (outcome.allowed) return true;
    this.responses.header(
      context.switchToHttp().getResponse(),
      'Retry-After',
      String(Math.ceil(outcome.retryAfterMs / 1000)),
    );
    throw new HelperHttpError(
      HttpStatus.TOO_MANY_REQUESTS,
      'too_many_requests',
      'Too many messages: wait a moment and try again.',
    );
  }
}
