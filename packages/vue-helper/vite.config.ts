import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [vue()],
  build: {
    lib: {
      entry: 'src/index.ts',
      formats: ['es'],
      fileName: 'helperkit-vue',
      // Shipped as `@helperkit/vue/style.css` (see package.json exports).
      cssFileName: 'style',
    },
    rolldownOptions: { external: ['vue'] },
  },
});
