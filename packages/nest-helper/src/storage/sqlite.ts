import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import Database from 'libsql';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HelperConfigurationError } from '../configuration-error.js';
import { LocalEventFeed } from './event-feed.js';
import { KyselyStorage } from './kysely-storage.js';
import type { HelperDatabase } from './schema.js';

/**
 * Opens (creating when needed) the SQLite file and migrates it. libsql is used for its
 * better-sqlite3-compatible API with prebuilt binaries inside the npm package: nothing compiles
 * at install. WAL mode lets readers work during a write, and with the default `synchronous`
 * setting a committed transaction survives a crash of the process.
 */
export async function openSqliteStorage(path: string): Promise<KyselyStorage> {
  const file = path === ':memory:' ? path : resolve(path);
  let database: Database.Database;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    database = new Database(file);
    database.exec('PRAGMA journal_mode = WAL');
    database.exec('PRAGMA foreign_keys = ON');
    database.exec('PRAGMA busy_timeout = 5000');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HelperConfigurationError(
      `database: cannot open the SQLite file "${file}" (${reason}). ` +
        'Set the database option to a path in a writable directory.',
    );
  }
  const db = new Kysely<HelperDatabase>({
    dialect: new SqliteDialect({ database: database as unknown as SqliteDatabase }),
  });
  const storage = new KyselyStorage(db, 'sqlite', new LocalEventFeed());
  try {
    await storage.migrate();
  } catch (error) {
    await storage.close();
    throw error;
  }
  return storage;
}
