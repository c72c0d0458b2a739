import base from '../../jest.config.base.js';

export default {
  ...base,
  displayName: `nest (${process.env.HELPERKIT_TEST_DATABASE === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${
    process.env.HELPERKIT_TEST_PLATFORM === 'fastify' ? 'Fastify' : 'Express'
  })`,
  // Two suites at a time: they mostly wait on real servers (SQLite files, PostgreSQL, SMTP), so a
  // second worker halves the wall time of the four-set-up matrix on a 2-core machine.
  maxWorkers: 2,
  // Scans every response of every suite for the secrets.
  setupFilesAfterEnv: ['<rootDir>/test/support/secret-scan.ts'],
  // Each run's PostgreSQL databases share a prefix and are dropped once every suite has finished.
  globalSetup: '<rootDir>/test/support/postgres-global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/postgres-global-teardown.mjs',
};
