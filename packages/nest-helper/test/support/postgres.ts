import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ADMIN_URL, runDatabasePrefix } from './postgres-run-hooks.mjs';

export { ADMIN_URL };

/** Whether the suites run their HTTP tests on PostgreSQL (`HELPERKIT_TEST_DATABASE=postgres`). */
export const onPostgres = process.env.HELPERKIT_TEST_DATABASE === 'postgres';

/**
 * A fresh, empty database of its own for one test, on the tests' server. An unreachable server
 * fails the test with what to do: a missing server is an install step, never a skip.
 */
export async function createTestDatabase(): Promise<string> {
  // Named for the run, which drops its databases at the end (test/support/postgres-run-hooks.mjs).
  const name = `${runDatabasePrefix()}${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL for tests is not reachable at ${ADMIN_URL} (${(error as Error).message}). ` +
        'Run `bash scripts/test-services.sh` (pnpm test does) or set HELPERKIT_TEST_POSTGRES_URL.',
      { cause: error },
    );
  }
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
