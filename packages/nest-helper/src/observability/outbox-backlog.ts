import { Injectable } from '@nestjs/common';
import type { SqlDatabase } from '../storage/sql-database.js';
import { InjectHelperDatabase } from '../storage/storage.tokens.js';

/** What waits in the outbox. */
export interface OutboxBacklogView {
  pending: number;
  /** When the oldest pending entry was queued; null when nothing waits. */
  oldestQueuedAt: Date | null;
}

/**
 * Reads the outbox's pending entries for health checks and metrics, straight from the SQL
 * database: the outbox storage's interface is about sending, not reporting. A host that replaced
 * the outbox storage replaces this too, through `HelperOutboxBacklog` (docs/operations.md).
 */
@Injectable()
export class HelperOutboxBacklog {
  constructor(@InjectHelperDatabase() private readonly database: SqlDatabase) {}

  async read(): Promise<OutboxBacklogView> {
    const row = await this.database.kysely
      .selectFrom('helper_outbox')
      .select((eb) => [eb.fn.countAll().as('pending'), eb.fn.min('created_at').as('oldest')])
      .where('status', '=', 'pending')
      .executeTakeFirst();
    const oldest = row?.oldest ?? null;
    return {
      pending: Number(row?.pending ?? 0),
      oldestQueuedAt: oldest === null ? null : new Date(oldest),
    };
  }
}
