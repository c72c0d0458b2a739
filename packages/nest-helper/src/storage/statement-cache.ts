import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Enough for every distinct statement the module runs; beyond it the least recently used goes. */
const DEFAULT_SIZE = 500;

/**
 * The SQLite connection as Kysely's dialect uses it, with each SQL text prepared once and its
 * statement kept. Kysely prepares every query it runs, and preparing (parsing and planning the
 * SQL) costs about as much as running a short statement: an inbound email runs some twenty.
 * Statements are bound afresh on each run, and SQLite prepares one again by itself after a
 * schema change, so a kept statement always runs as a new one would.
 */
export function withStatementCache(
  connection: SqliteDatabase,
  size = DEFAULT_SIZE,
): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => connection.close(),
    prepare(sql: string): SqliteStatement {
      const kept = statements.get(sql);
      // Map order is insertion order: taking it out and in again makes it the most recent.
      if (kept) statements.delete(sql);
      const statement = kept ?? connection.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > size) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}
