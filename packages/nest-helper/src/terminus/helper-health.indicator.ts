import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import { sql } from 'kysely';
import type { ResolvedEmailOptions } from '../email/email.options.js';
import { HELPER_EMAIL_OPTIONS } from '../email/email.tokens.js';
import { HelperOutboxBacklog } from '../observability/outbox-backlog.js';
import type { SqlDatabase } from '../storage/sql-database.js';
import { InjectHelperDatabase } from '../storage/storage.tokens.js';
import { probeSmtp } from './smtp-probe.js';

/** An outbox entry still pending after this long means sending is stuck. */
export const DEFAULT_MAX_PENDING_AGE_MS = 15 * 60_000;
export const DEFAULT_SMTP_TIMEOUT_MS = 5_000;

/**
 * helperkit's health checks, for the host's own terminus health controller
 * (docs/operations.md, "Health"): the database answers, the outbox is not stuck, the SMTP server
 * of the auto-replies answers. Each answers up or down and never throws.
 */
@Injectable()
export class HelperHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly backlog: HelperOutboxBacklog,
    @InjectHelperDatabase() private readonly database: SqlDatabase,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** The database answers a query. */
  async storage<const Key extends string = 'helper_storage'>(key: Key = 'helper_storage' as Key) {
    const check = this.health.check(key);
    try {
      await sql`select 1`.execute(this.database.kysely);
      return check.up();
    } catch {
      return check.down({ message: 'The database does not answer.' });
    }
  }

  /** Down when the oldest pending outbox entry waits longer than `maxPendingAgeMs`. */
  async outbox<const Key extends string = 'helper_outbox'>(
    key: Key = 'helper_outbox' as Key,
    { maxPendingAgeMs = DEFAULT_MAX_PENDING_AGE_MS }: { maxPendingAgeMs?: number } = {},
  ) {
    const check = this.health.check(key);
    try {
      const { pending, oldestQueuedAt } = await this.backlog.read();
      const oldestPendingSeconds =
        oldestQueuedAt === null
          ? 0
          : Math.max(0, Math.round((Date.now() - oldestQueuedAt.getTime()) / 1000));
      const data = { pending, oldestPendingSeconds };
      return oldestPendingSeconds * 1000 > maxPendingAgeMs ? check.down(data) : check.up(data);
    } catch {
      return check.down({ message: 'The outbox cannot be read.' });
    }
  }

  /**
   * The auto-replies' SMTP server answers (and accepts the login). Up with `configured: false`
   * when the application has no HelperEmailModule.
   */
  async smtp<const Key extends string = 'helper_smtp'>(
    key: Key = 'helper_smtp' as Key,
    { timeoutMs = DEFAULT_SMTP_TIMEOUT_MS }: { timeoutMs?: number } = {},
  ) {
    const check = this.health.check(key);
    const email = this.emailOptions();
    if (!email) return check.up({ configured: false });
    const failure = await probeSmtp(email.smtp, timeoutMs);
    return failure === null ? check.up() : check.down({ error: failure });
  }

  private emailOptions(): ResolvedEmailOptions | null {
    try {
      return this.moduleRef.get<ResolvedEmailOptions>(HELPER_EMAIL_OPTIONS, { strict: false });
    } catch {
      return null;
    }
  }
}
