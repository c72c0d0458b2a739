import base from '../../jest.config.base.js';

export default {
  ...base,
  displayName: `nest (${process.env.HELPERKIT_TEST_DATABASE === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${
    process.env.HELPERKIT_TEST_PLATFORM === 'fastify' ? 'Fastify' : 'Express'
  })`,
  // Scans every response of every suite for the secrets.
  setupFilesAfterEnv: ['<rootDir>/test/support/secret-scan.ts'],
};
