import base from '../../jest.config.base.js';

export default {
  ...base,
  displayName: 'nest',
  // Scans every response of every suite for the secrets.
  setupFilesAfterEnv: ['<rootDir>/test/support/secret-scan.ts'],
};
