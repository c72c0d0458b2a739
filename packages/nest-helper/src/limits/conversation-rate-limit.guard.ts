import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { clientIpKey } from './client-ip.js';
import { withRetryAfter } from './rate-limited.error.js';
import { RateLimits } from './rate-limits.service.js';

/** Limits how many conversations one client IP starts per hour (docs/limits.md). */
@Injectable()
export class ConversationRateLimitGuard implements CanActivate {
  constructor(private readonly limits: RateLimits) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    const { ip } = context.switchToHttp().getRequest<{ ip?: string }>();
    return withRetryAfter(context, () => this.limits.take('conversations', clientIpKey(ip)));
  }
}
