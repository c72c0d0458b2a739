import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type Database from 'libsql';

/** Enough for every query text the module runs; a text past it is prepared again when it returns. */
const DEFAULT_CAPACITY = 256;

/**
 * The SQLite connection as Kysely sees it, preparing each SQL text once. Kysely prepares the
 * statement of every query anew, which costs more than running it; a prepared statement can be
 * run again with other parameters, so the ones last used are kept (least recently used dropped
 * first). Only complete reads and writes reuse a statement: a streamed read may stop halfway, and
 * a statement left mid-read would keep its snapshot open, so it gets a statement of its own.
 * See docs/storage.md, "SQLite".
 */
export function cachingStatements(
  connection: Database.Database,
  capacity = DEFAULT_CAPACITY,
): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  const prepareOnce = (sql: string): SqliteStatement => {
    const prepared = connection.prepare(sql);
    return {
      // Read once: libsql asks the native statement on every access.
      reader: prepared.reader,
      all: (parameters) => prepared.all(parameters as unknown[]),
      run: (parameters) => prepared.run(parameters as unknown[]),
      iterate: (parameters) => connection.prepare(sql).iterate(parameters as unknown[]),
    };
  };
  return {
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement) {
        statements.delete(sql); // re-inserted below: the most recently used is last
      } else {
        statement = prepareOnce(sql);
        if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
    close: () => connection.close(),
  };
}
