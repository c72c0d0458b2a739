import { HelperConfigurationError, type ResolvedHelperOptions } from '../helper.options.js';
import { openSqliteStorage } from './sqlite.js';
import type { HelperStorage } from './storage.js';

/** Opens the storage the options name; configuration mistakes fail here, at start-up. */
export async function openStorage(
  database: ResolvedHelperOptions['database'],
): Promise<HelperStorage> {
  if (database.kind === 'sqlite') return openSqliteStorage(database.path);
  throw new HelperConfigurationError(
    'database: PostgreSQL ({ url }) is not supported by this version yet; use a SQLite file path.',
  );
}
