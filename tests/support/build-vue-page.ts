// Usage: node --import tsx build-vue-page.ts <root> <outDir>
// Builds the page under <root> (index.html and what it imports) with Vite's JS API, the way a
// host application would, into <outDir>. Run in its own Node process by `buildVuePage()`.
import vue from '@vitejs/plugin-vue';
import { join } from 'node:path';
import { build, defaultClientConditions } from 'vite';

const [root, outDir] = process.argv.slice(2);
if (root === undefined || outDir === undefined) {
  throw new Error('Usage: build-vue-page.ts <root> <outDir>');
}

await build({
  configFile: false,
  envFile: false,
  root,
  logLevel: 'silent',
  // Vite's cache stays with the output instead of landing in tests/node_modules.
  cacheDir: join(outDir, '.vite-cache'),
  plugins: [vue()],
  resolve: {
    // Workspace packages from their source, never a stale dist; the widget's CSS comes along
    // through its component's `<style src>`, so the page needs no `@helperkit/vue/style.css`.
    conditions: ['@helperkit/source', ...defaultClientConditions],
    // The page and the widget must share one Vue, or the widget's `inject` finds no plugin.
    dedupe: ['vue'],
  },
  build: { outDir, emptyOutDir: true, minify: false, reportCompressedSize: false },
});
