import { openPostgresDatabase } from '../../src/storage/postgres.js';
import { openSqliteDatabase } from '../../src/storage/sqlite.js';
import type { SqlDatabase } from '../../src/storage/sql-database.js';
import { tempDatabasePath } from './app.js';
import { createTestDatabase } from './postgres.js';

/**
 * Both storage implementations, each opening a fresh database of its own, for suites that hold a
 * storage contract to both in every run (`describe.each`).
 */
export const bothDatabases: Array<[string, () => Promise<SqlDatabase>]> = [
  ['SQLite', () => openSqliteDatabase(tempDatabasePath())],
  ['PostgreSQL', async () => openPostgresDatabase(await createTestDatabase())],
];
