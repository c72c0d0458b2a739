import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { sessionOf } from '../identity/session.guard.js';
import { withRetryAfter } from '../limits/rate-limited.error.js';
import { RateLimits } from '../limits/rate-limits.service.js';
import { ownerOf } from './owners.js';

/**
 * Limits how many messages one owner (a verified email or an anonymous visitor) posts per minute,
 * counted in the storage across instances (docs/limits.md). Runs after `SessionGuard`.
 */
@Injectable()
export class MessageRateLimitGuard implements CanActivate {
  constructor(private readonly limits: RateLimits) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const session = sessionOf(context);
    if (!session) return false;
    return withRetryAfter(context, () =>
      this.limits.take('messages', `${session.mailbox} ${ownerOf(session)}`),
    );
  }
}
