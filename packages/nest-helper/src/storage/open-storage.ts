import type { ResolvedHelperOptions } from '../helper.options.js';
import { openPostgresStorage } from './postgres.js';
import { openSqliteStorage } from './sqlite.js';
import type { HelperStorage } from './storage.js';

/** Opens the storage the options name; configuration mistakes fail here, at start-up. */
export async function openStorage(
  database: ResolvedHelperOptions['database'],
): Promise<HelperStorage> {
  return database.kind === 'sqlite'
    ? openSqliteStorage(database.path)
    : openPostgresStorage(database.url);
}
