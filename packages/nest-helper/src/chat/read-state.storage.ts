import { sql } from 'kysely';
import { now, type SqlDatabase } from '../storage/sql-database.js';
import type { Written } from './chat.records.js';

/** Whose reading a mark records. */
export type ReadSide = 'customer' | 'staff';

/** The other side's messages are the ones a side has to read. */
const authorReadBy = (side: ReadSide) => (side === 'customer' ? 'staff' : 'customer');

/**
 * How far each side has read each conversation: the id of the last message it has seen. Marks
 * only move forward. Replace it through the `HELPER_READ_STATE_STORAGE` token (docs/http-api.md).
 */
export interface ReadStateStorage {
  /** Whether the message exists and belongs to this conversation. */
  isMessageOf(conversationId: number, messageId: number): Promise<boolean>;
  /**
   * Moves the side's mark up to `upTo`; a mark already there or further stays (`created` false).
   * Answers the mark after the write.
   */
  markRead(conversationId: number, side: ReadSide, upTo: number): Promise<Written<number>>;
  /** The side's mark of each conversation that has one. */
  lastReadIds(conversationIds: readonly number[], side: ReadSide): Promise<Map<number, number>>;
  /** For each conversation with any, how many of the other side's messages are after the mark. */
  unreadCounts(conversationIds: readonly number[], side: ReadSide): Promise<Map<number, number>>;
}

interface ReadMarkTable {
  conversation_id: number;
  side: string;
  last_read_id: number;
  updated_at: string;
}

/** The default read state, in the SQL database. */
export class KyselyReadStateStorage implements ReadStateStorage {
  constructor(private readonly database: SqlDatabase) {}

  private db() {
    return this.database.executor().withTables<{ helper_read_marks: ReadMarkTable }>();
  }

  async isMessageOf(conversationId: number, messageId: number): Promise<boolean> {
    const row = await this.db()
      .selectFrom('helper_messages')
      .select('id')
      .where('id', '=', messageId)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async markRead(conversationId: number, side: ReadSide, upTo: number): Promise<Written<number>> {
    // One statement, so two tabs (or instances) reading at once never move the mark backwards.
    const moved = await this.db()
      .insertInto('helper_read_marks')
      .values({ conversation_id: conversationId, side, last_read_id: upTo, updated_at: now() })
      .onConflict((conflict) =>
        conflict
          .columns(['conversation_id', 'side'])
          .doUpdateSet((eb) => ({
            last_read_id: eb.ref('excluded.last_read_id'),
            updated_at: eb.ref('excluded.updated_at'),
          }))
          .where('helper_read_marks.last_read_id', '<', upTo),
      )
      .returning('last_read_id')
      .executeTakeFirst();
    if (moved) return { value: Number(moved.last_read_id), created: true };
    const marks = await this.lastReadIds([conversationId], side);
    return { value: marks.get(conversationId) ?? upTo, created: false };
  }

  async lastReadIds(
    conversationIds: readonly number[],
    side: ReadSide,
  ): Promise<Map<number, number>> {
    if (conversationIds.length === 0) return new Map();
    const rows = await this.db()
      .selectFrom('helper_read_marks')
      .select(['conversation_id', 'last_read_id'])
      .where('conversation_id', 'in', [...conversationIds])
      .where('side', '=', side)
      .execute();
    return new Map(rows.map((row) => [Number(row.conversation_id), Number(row.last_read_id)]));
  }

  async unreadCounts(
    conversationIds: readonly number[],
    side: ReadSide,
  ): Promise<Map<number, number>> {
    if (conversationIds.length === 0) return new Map();
    const rows = await this.db()
      .selectFrom('helper_messages as m')
      .leftJoin('helper_read_marks as r', (join) =>
        join.onRef('r.conversation_id', '=', 'm.conversation_id').on('r.side', '=', side),
      )
      .select(['m.conversation_id', (eb) => eb.fn.countAll().as('unread')])
      .where('m.conversation_id', 'in', [...conversationIds])
      .where('m.author', '=', authorReadBy(side))
      .where((eb) => eb('m.id', '>', eb.fn.coalesce('r.last_read_id', sql.lit(0))))
      .groupBy('m.conversation_id')
      .execute();
    return new Map(rows.map((row) => [Number(row.conversation_id), Number(row.unread)]));
  }
}
