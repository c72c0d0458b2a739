import vue from '@vitejs/plugin-vue';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

// The demo's Vue app. `vite build` writes it to dist/web, which the Nest server serves at `/`.
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  plugins: [vue()],
  resolve: {
    // The workspace packages from their source, so the demo never runs a stale build of the
    // widget; its CSS comes along through <HelperWidget>'s own `<style src>`.
    conditions: ['@helperkit/source', ...defaultClientConditions],
    // The page and the widget must share one Vue, or the widget's `inject` finds no plugin.
    dedupe: ['vue'],
  },
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    reportCompressedSize: false,
  },
});
