import base from '../../jest.config.base.js';

export default {
  ...base,
  displayName:
    process.env.HELPERKIT_TEST_DATABASE === 'postgres' ? 'nest (PostgreSQL)' : 'nest (SQLite)',
  // Scans every response of every suite for the secrets.
  setupFilesAfterEnv: ['<rootDir>/test/support/secret-scan.ts'],
};
