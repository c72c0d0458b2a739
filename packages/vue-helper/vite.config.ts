import vue from '@vitejs/plugin-vue';
import { posix } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

/**
 * Library mode takes the CSS a lazy chunk imports out of it into a file of its own, and nothing
 * loads that file any more. This puts the import back at the top of such a chunk, so the host's
 * bundler emits the stylesheet and loads it with the chunk, as a file (never inline).
 */
function keepLazyCssImports(): Plugin {
  return {
    name: 'helperkit:keep-lazy-css-imports',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || chunk.isEntry) continue;
        const imports = [...(chunk.viteMetadata?.importedCss ?? [])].map((css) => {
          const path = posix.relative(posix.dirname(chunk.fileName), css);
          return `import ${JSON.stringify(path.startsWith('.') ? path : `./${path}`)};\n`;
        });
        chunk.code = imports.join('') + chunk.code;
      }
    },
  };
}

export default defineConfig({
  plugins: [vue(), keepLazyCssImports()],
  build: {
    // The launcher's CSS is dist/style.css (`@helperkit/vue/style.css`); the panel's, its own file.
    cssCodeSplit: true,
    lib: {
      entry: 'src/index.ts',
      formats: ['es'],
      fileName: 'helperkit-vue',
      cssFileName: 'style',
    },
    // Dependencies stay imports: the host's bundler shares them and keeps only what each chunk uses.
    rolldownOptions: {
      external: ['vue', '@helperkit/core'],
      output: {
        // Stable names (the package's version is the cache key): panel.js, de.js, ... The code the
        // entry and the panel share is the launcher's, named for what it is.
        chunkFileNames: (chunk) => (chunk.name === 'HelperWidget' ? 'launcher.js' : '[name].js'),
        // The launcher's stylesheet keeps the name the package exports it under.
        assetFileNames: (asset) =>
          asset.names.some((name) => name.endsWith('HelperWidget.css'))
            ? 'style.css'
            : '[name][extname]',
      },
    },
  },
});
