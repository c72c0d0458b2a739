import type { Generated } from 'kysely';
import type { SqlDatabase } from '../storage/sql-database.js';

/** One hit to count in a fixed window, as `scope` + `key` (e.g. `sessions` + a client IP). */
export interface WindowHit {
  scope: string;
  key: string;
  windowStart: Date;
  windowEnd: Date;
  /** The most hits the window takes. */
  limit: number;
}

/** An open event stream, held by one application instance. */
export interface StreamSlot {
  id: string;
  instanceId: string;
  /** Whose stream it is (mailbox and owner): the per-identity cap counts these. */
  owner: string;
  /** The client's IP key: the per-IP cap counts these. */
  ip: string;
}

export interface StreamCaps {
  perOwner: number;
  perIp: number;
}

export type StreamAdmission = { admitted: true; replaced: string[] } | { admitted: false };

/**
 * The counters behind the abuse limits, shared by every application instance on the database.
 * Replace it through `HELPER_LIMIT_STORAGE` (for example with Redis); see docs/limits.md.
 */
export interface LimitStorage {
  /** Counts one hit, atomically, unless the window is full: answers whether it was counted. */
  hit(counter: WindowHit): Promise<boolean>;
  /**
   * Opens a stream slot leased until `leaseUntil`, unless the client's IP already holds
   * `perIp` live slots. Beyond `perOwner`, the owner's oldest live slots are removed: their ids
   * are answered as `replaced`, for their instances to close. Slots whose lease ended before
   * `now` count for nothing.
   */
  openStream(
    slot: StreamSlot,
    caps: StreamCaps,
    now: Date,
    leaseUntil: Date,
  ): Promise<StreamAdmission>;
  /** Extends these slots' leases; answers the ids still held (the others were replaced). */
  renewStreams(ids: readonly string[], leaseUntil: Date): Promise<string[]>;
  closeStreams(ids: readonly string[]): Promise<void>;
  /** Forgets windows that ended and slots whose lease ended before `now`. */
  sweep(now: Date): Promise<void>;
}

export interface LimitWindowTable {
  scope: string;
  limit_key: string;
  window_start: string;
  window_end: string;
  hits: number;
}

export interface StreamSlotTable {
  id: Generated<number>;
  stream_id: string;
  instance_id: string;
  owner: string;
  ip: string;
  opened_at: string;
  lease_until: string;
}

// A type alias, not an interface: Kysely's `withTables` wants an index-signature-compatible type.
export type LimitTables = {
  helper_limit_windows: LimitWindowTable;
  helper_stream_slots: StreamSlotTable;
};

/** The default counters: two tables of the SQL database (migration 004-limits). */
export class KyselyLimitStorage implements LimitStorage {
  constructor(private readonly database: SqlDatabase) {}

  private db() {
    return this.database.executor().withTables<LimitTables>();
  }

  async hit(counter: WindowHit): Promise<boolean> {
    // One statement, so two instances counting at once never both take the last place.
    const row = await this.db()
      .insertInto('helper_limit_windows')
      .values({
        scope: counter.scope,
        limit_key: counter.key,
        window_start: counter.windowStart.toISOString(),
        window_end: counter.windowEnd.toISOString(),
        hits: 1,
      })
      .onConflict((conflict) =>
        conflict
          .columns(['scope', 'limit_key', 'window_start'])
          .doUpdateSet((eb) => ({ hits: eb('helper_limit_windows.hits', '+', 1) }))
          .where('helper_limit_windows.hits', '<', counter.limit),
      )
      .returning('hits')
      .executeTakeFirst();
    return row !== undefined;
  }

  openStream(
    slot: StreamSlot,
    caps: StreamCaps,
    now: Date,
    leaseUntil: Date,
  ): Promise<StreamAdmission> {
    return this.database.run(async () => {
      // Always the IP first, then the owner: two openings never wait for each other in a cycle.
      await this.database.lock(`limits:stream-ip:${slot.ip}`);
      await this.database.lock(`limits:stream-owner:${slot.owner}`);
      const live = now.toISOString();
      const owned = await this.db()
        .selectFrom('helper_stream_slots')
        .select(['stream_id', 'ip'])
        .where('owner', '=', slot.owner)
        .where('lease_until', '>', live)
        .orderBy('id', 'asc')
        .execute();
      const replaced = owned.slice(0, Math.max(0, owned.length - caps.perOwner + 1));
      const row = await this.db()
        .selectFrom('helper_stream_slots')
        .select((eb) => eb.fn.countAll<number | string>().as('open'))
        .where('ip', '=', slot.ip)
        .where('lease_until', '>', live)
        .executeTakeFirstOrThrow();
      // A stream this one replaces frees its place under the IP cap too.
      const freed = replaced.filter((old) => old.ip === slot.ip).length;
      if (Number(row.open) - freed >= caps.perIp) return { admitted: false };
      const replacedIds = replaced.map((old) => old.stream_id);
      await this.closeStreams(replacedIds);
      await this.db()
        .insertInto('helper_stream_slots')
        .values({
          stream_id: slot.id,
          instance_id: slot.instanceId,
          owner: slot.owner,
          ip: slot.ip,
          opened_at: live,
          lease_until: leaseUntil.toISOString(),
        })
        .execute();
      return { admitted: true, replaced: replacedIds };
    });
  }

  async renewStreams(ids: readonly string[], leaseUntil: Date): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db()
      .updateTable('helper_stream_slots')
      .set({ lease_until: leaseUntil.toISOString() })
      .where('stream_id', 'in', [...ids])
      .returning('stream_id')
      .execute();
    return rows.map((row) => row.stream_id);
  }

  async closeStreams(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db()
      .deleteFrom('helper_stream_slots')
      .where('stream_id', 'in', [...ids])
      .execute();
  }

  async sweep(now: Date): Promise<void> {
    const at = now.toISOString();
    await this.db().deleteFrom('helper_limit_windows').where('window_end', '<=', at).execute();
    await this.db().deleteFrom('helper_stream_slots').where('lease_until', '<=', at).execute();
  }
}
