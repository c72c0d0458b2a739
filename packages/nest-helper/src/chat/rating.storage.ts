import { now, type SqlDatabase } from '../storage/sql-database.js';
import type { Written } from './chat.records.js';

export type RatingValue = 'good' | 'bad';

/** A customer's rating of a closed conversation. */
export interface RatingRecord {
  rating: RatingValue;
  comment: string | null;
  createdAt: string;
}

/**
 * The customers' ratings, one per conversation. Replace it through the `HELPER_RATING_STORAGE`
 * token (docs/http-api.md, "Read state, typing, rating").
 */
export interface RatingStorage {
  /** Stores the rating unless the conversation has one (`created` false, the earlier one). */
  rate(
    conversationId: number,
    rating: { rating: RatingValue; comment: string | null },
  ): Promise<Written<RatingRecord>>;
  ratings(conversationIds: readonly number[]): Promise<Map<number, RatingRecord>>;
}

interface RatingTable {
  conversation_id: number;
  rating: string;
  comment: string | null;
  created_at: string;
}

const toRating = (row: RatingTable): RatingRecord => ({
  rating: row.rating as RatingValue,
  comment: row.comment,
  createdAt: row.created_at,
});

/** The default rating storage, in the SQL database. */
export class KyselyRatingStorage implements RatingStorage {
  constructor(private readonly database: SqlDatabase) {}

  private db() {
    return this.database.executor().withTables<{ helper_ratings: RatingTable }>();
  }

  async rate(
    conversationId: number,
    rating: { rating: RatingValue; comment: string | null },
  ): Promise<Written<RatingRecord>> {
    // The key refuses a second rating, also when two arrive at once.
    const row = await this.db()
      .insertInto('helper_ratings')
      .values({ conversation_id: conversationId, ...rating, created_at: now() })
      .onConflict((conflict) => conflict.column('conversation_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (row) return { value: toRating(row), created: true };
    const existing = await this.ratings([conversationId]);
    return { value: existing.get(conversationId)!, created: false };
  }

  async ratings(conversationIds: readonly number[]): Promise<Map<number, RatingRecord>> {
    if (conversationIds.length === 0) return new Map();
    const rows = await this.db()
      .selectFrom('helper_ratings')
      .selectAll()
      .where('conversation_id', 'in', [...conversationIds])
      .execute();
    return new Map(rows.map((row) => [Number(row.conversation_id), toRating(row)]));
  }
}
