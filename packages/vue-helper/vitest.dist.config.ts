import { defineConfig, mergeConfig } from 'vitest/config';
import testConfig from './vitest.config.ts';

// The same tests against the built package (`pnpm build` first): its chunks as a host gets them,
// with the internal names shortened (internal-names.ts). The tests that replace one of the
// package's modules with a failing one cannot reach into dist, and stay with the source run.
export default mergeConfig(
  testConfig,
  defineConfig({
    resolve: {
      alias: [
        {
          find: /^\.\.\/src\/index\.js$/,
          replacement: new URL('./dist/helperkit-vue.js', import.meta.url).pathname,
        },
      ],
    },
    test: {
      exclude: [
        'test/checks-unavailable.test.ts',
        'test/chat-link-unavailable.test.ts',
        'test/locale.test.ts',
        'test/internal-names.test.ts',
      ],
    },
  }),
);
