/**
 * The prefix of this test run's databases on the tests' PostgreSQL server (`adhoc` when a suite
 * runs outside jest's set-up). jest's globalSetup names the run and its globalTeardown drops the
 * run's databases, both in postgres-run-hooks.mjs: a server that keeps every test's database
 * slows down, as its autovacuum visits each in turn.
 */
export const runDatabasePrefix = (): string =>
  `helperkit_test_${process.env.HELPERKIT_TEST_RUN ?? 'adhoc'}_`;
