import type { ResolvedHelperOptions } from '../helper.options.js';
import { openPostgresDatabase } from './postgres.js';
import { openSqliteDatabase } from './sqlite.js';
import type { SqlDatabase } from './sql-database.js';

/** Opens and migrates the database the options name; mistakes fail here, at start-up. */
export async function openDatabase(
  database: ResolvedHelperOptions['database'],
): Promise<SqlDatabase> {
  return database.kind === 'sqlite'
    ? openSqliteDatabase(database.path)
    : openPostgresDatabase(database.url);
}
