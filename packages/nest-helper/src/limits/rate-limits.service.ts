import { Injectable, Logger } from '@nestjs/common';
import type { ResolvedHelperOptions } from '../helper.options.js';
import { InjectResolvedHelperOptions } from '../helper.tokens.js';
import { InjectLimitStorage } from '../storage/storage.tokens.js';
import { InjectLimitClock, type LimitClock } from './limit-clock.js';
import type { LimitStorage } from './limit.storage.js';
import { RateLimitedError } from './rate-limited.error.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** Ended windows are deleted at most this often per instance: cheap, and the table stays small. */
const SWEEP_EVERY_MS = MINUTE_MS;

/** The counted limits: what each counts, per what, in which window (docs/limits.md). */
export type RateLimitRule = 'sessions' | 'conversations' | 'messages';

const MESSAGES: Record<RateLimitRule, string> = {
  sessions: 'Too many new chat sessions from your network: try again later.',
  conversations: 'Too many new conversations from your network: try again later.',
  messages: 'Too many messages: wait a moment and try again.',
};

/**
 * Fixed-window counters in the storage, so every application instance on one database counts
 * against the same budget. A window is `[floor(now / length) * length, + length)`.
 */
@Injectable()
export class RateLimits {
  private readonly logger = new Logger('HelperModule');
  private readonly rules: Record<RateLimitRule, { limit: number; windowMs: number }>;
  private nextSweep = 0;

  constructor(
    @InjectResolvedHelperOptions() options: ResolvedHelperOptions,
    @InjectLimitStorage() private readonly storage: LimitStorage,
    @InjectLimitClock() private readonly clock: LimitClock,
  ) {
    const { limits } = options;
    this.rules = {
      sessions: { limit: limits.sessionsPerIpPerHour, windowMs: HOUR_MS },
      conversations: { limit: limits.conversationsPerIpPerHour, windowMs: HOUR_MS },
      messages: { limit: limits.messagesPerMinute, windowMs: MINUTE_MS },
    };
  }

  /** Counts one use of `rule` by `key`; throws RateLimitedError when its window is full. */
  async take(rule: RateLimitRule, key: string): Promise<void> {
    const { limit, windowMs } = this.rules[rule];
    const now = this.clock();
    const start = Math.floor(now / windowMs) * windowMs;
    const end = start + windowMs;
    this.sweepNowAndThen(now);
    const counted = await this.storage.hit({
      scope: rule,
      key,
      windowStart: new Date(start),
      windowEnd: new Date(end),
      limit,
    });
    if (!counted) throw new RateLimitedError(MESSAGES[rule], Math.ceil((end - now) / 1000));
  }

  private sweepNowAndThen(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_EVERY_MS;
    // Off the request's path: a failed sweep only leaves rows for the next one.
    this.storage
      .sweep(new Date(now))
      .catch((error: unknown) => this.logger.warn(`Limits: sweep failed (${String(error)}).`));
  }
}
