// Shared jest set-up: ES modules (NestJS 12 ships only as ES modules), TypeScript through swc with
// decorator metadata for Nest's dependency injection, and workspace packages resolved to their
// source through the `@helperkit/source` export condition, so tests never run a stale build.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  // Generous: suites drive real servers (PostgreSQL, SMTP, Chromium) on a 2-core machine. A
  // limit on the harness, never an assertion about speed (benchmarks measure speed).
  testTimeout: 30_000,
  extensionsToTreatAsEsm: ['.ts'],
  testMatch: ['**/?(*.)test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'es6' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironmentOptions: { customExportConditions: ['@helperkit/source', 'node', 'node-addons'] },
};
