// The tests' PostgreSQL server, and jest's globalSetup and globalTeardown for the nest suites: each
// test run's databases share a prefix and are dropped once every suite has finished, since a server
// that keeps every test's database slows down (its autovacuum visits each in turn). Plain
// JavaScript: jest loads the hooks before any transform is set up. Typed in the .d.mts beside it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The tests' PostgreSQL server, as `scripts/test-services.sh` starts it (or as the env says). */
export const ADMIN_URL =
  process.env.HELPERKIT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:54329/postgres';
/** Connections that drop databases side by side: each drop waits for a checkpoint of its own. */
const DROPPERS = 4;

/** The prefix of this run's databases (`adhoc` when a suite runs outside jest's set-up). */
export const runDatabasePrefix = () =>
  `helperkit_test_${process.env.HELPERKIT_TEST_RUN ?? 'adhoc'}_`;

/** Names the run before the workers start: they inherit the variable. */
export function setup() {
  process.env.HELPERKIT_TEST_RUN ??= randomBytes(4).toString('hex');
}

/** Drops this run's databases. */
export async function teardown() {
  const names = await runDatabases();
  await Promise.all(
    Array.from({ length: Math.min(DROPPERS, names.length) }, async () => {
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      try {
        // Every app has closed by now; `force` ends what a crashed suite may have left open.
        for (let name = names.pop(); name !== undefined; name = names.pop()) {
          await admin.query(`drop database if exists "${name}" with (force)`);
        }
      } finally {
        await admin.end();
      }
    }),
  );
}

/** This run's databases; none when no server is reachable (the run made none there either). */
async function runDatabases() {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch {
    return [];
  }
  try {
    const { rows } = await admin.query(
      'select datname from pg_database where starts_with(datname, $1)',
      [runDatabasePrefix()],
    );
    return rows.map((row) => row.datname);
  } finally {
    await admin.end();
  }
}
