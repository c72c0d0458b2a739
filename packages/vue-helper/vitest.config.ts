import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.ts';

// Tests run against @helperkit/core's source (its `@helperkit/source` export), never a stale build.
const source = '@helperkit/source';

export default mergeConfig(
  viteConfig,
  defineConfig({
    resolve: { conditions: [source, ...defaultClientConditions] },
    // The SSR test runs in the node environment, which resolves through the server conditions.
    ssr: { resolve: { conditions: [source, ...defaultServerConditions] } },
    test: {
      environment: 'happy-dom',
      environmentOptions: {
        happyDOM: {
          url: 'https://shop.example.com/',
          // happy-dom fetches no stylesheet; the panel's `<link>` must still report that it loaded.
          settings: { handleDisabledFileLoadingAsSuccess: true },
        },
      },
      setupFiles: ['test/setup.ts'],
      include: ['test/**/*.test.ts'],
      unstubGlobals: true,
      restoreMocks: true,
    },
  }),
);
