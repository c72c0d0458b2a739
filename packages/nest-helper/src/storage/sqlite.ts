import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import Database from 'libsql';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HelperConfigurationError } from '../configuration-error.js';
import { LocalEventFeed } from './event-feed.js';
import type { HelperDatabase } from './schema.js';
import { SqlDatabase } from './sql-database.js';
import { withStatementCache } from './statement-cache.js';

/**
 * Opens (creating when needed) the SQLite file and migrates it. libsql is used for its
 * better-sqlite3-compatible API with prebuilt binaries inside the npm package: nothing compiles
 * at install. WAL mode lets readers work during a write, and with the default `synchronous`
 * setting a committed transaction survives a crash of the process.
 */
export async function openSqliteDatabase(path: string): Promise<SqlDatabase> {
  const file = path === ':memory:' ? path : resolve(path);
  let connection: Database.Database;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    connection = new Database(file);
    connection.exec('PRAGMA journal_mode = WAL');
    connection.exec('PRAGMA foreign_keys = ON');
    connection.exec('PRAGMA busy_timeout = 5000');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HelperConfigurationError(
      `database: cannot open the SQLite file "${file}" (${reason}). ` +
        'Set the database option to a path in a writable directory.',
    );
  }
  const db = new Kysely<HelperDatabase>({
    dialect: new SqliteDialect({
      database: withStatementCache(connection as unknown as SqliteDatabase),
    }),
  });
  const database = new SqlDatabase(db, 'sqlite', new LocalEventFeed());
  try {
    await database.migrate();
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
