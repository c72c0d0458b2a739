import vue from '@vitejs/plugin-vue';
import { transform } from 'esbuild';
import { defineConfig, type Plugin } from 'vite';
import { INTERNAL_NAMES } from './internal-names.ts';

const PANEL_STYLESHEET = /new URL\((['"])\.\/panel\.css\1, import\.meta\.url\)/;

/**
 * The panel's chunk links its stylesheet itself, from `new URL('./panel.css', import.meta.url)`
 * (see src/panel.ts), so that the host's bundler emits the file and rewrites the address. Library
 * mode would instead inline the file as a `data:` URL, which a `style-src 'self'` policy refuses.
 * So here the reference is left for the host's bundler, and the stylesheet goes through Vite's
 * CSS pipeline (minified, as dist/panel.css) by a CSS import the library build takes out again.
 */
function panelStylesheetForHosts(): Plugin {
  return {
    name: 'helperkit:panel-stylesheet-for-hosts',
    apply: 'build',
    transform(code, id) {
      if (!id.endsWith('/src/panel.ts')) return undefined;
      if (!PANEL_STYLESHEET.test(code)) this.error('src/panel.ts no longer links ./panel.css');
      const ignored = code.replace(
        PANEL_STYLESHEET,
        "new URL(/* @vite-ignore */ './panel.css', import.meta.url)",
      );
      return { code: `import './panel.css';\n${ignored}`, map: null };
    },
    generateBundle(_options, bundle) {
      const panel = Object.values(bundle).find(
        (file) => file.type === 'chunk' && file.name === 'panel',
      );
      if (panel?.type !== 'chunk' || !bundle['panel.css']) {
        this.error('the build has no panel.js next to panel.css');
      }
      // The host's bundler must see the reference, so the marker that hid it from this build goes.
      panel.code = panel.code.replace(/\/\*\s*@vite-ignore\s*\*\/\s*/g, '');
    },
  };
}

/**
 * Shortens the properties listed in internal-names.ts in every chunk of dist, which a host's
 * minifier would leave at full length (see that file). One cache for all chunks, filled in a
 * fixed order, so that a name is shortened alike in the launcher and the panel, and alike from one
 * build to the next.
 */
function shortInternalNames(): Plugin {
  const names = new RegExp(`^(${INTERNAL_NAMES.join('|')})$`);
  return {
    name: 'helperkit:short-internal-names',
    apply: 'build',
    async generateBundle(_options, bundle) {
      let mangleCache: Record<string, string | false> = {};
      const chunks = Object.values(bundle).filter((file) => file.type === 'chunk');
      for (const chunk of chunks.sort((a, b) => a.fileName.localeCompare(b.fileName))) {
        const result = await transform(chunk.code, {
          format: 'esm',
          target: 'esnext',
          mangleProps: names,
          mangleCache,
        });
        chunk.code = result.code;
        mangleCache = result.mangleCache ?? mangleCache;
      }
    },
  };
}

export default defineConfig({
  plugins: [vue(), panelStylesheetForHosts(), shortInternalNames()],
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
    // Except in the option checks' chunk, which carries its own copy of core's rules: shared, they
    // became a chunk that the panel fetched whole for its one message rule (see src/checks.ts).
    rolldownOptions: {
      external: (id, importer) =>
        id === 'vue' ||
        (id === '@helperkit/core' && !/[\\/]src[\\/]checks\.ts$/.test(importer ?? '')),
      output: {
        // Stable names (the package's version is the cache key): panel.js, de.js, ... The code the
        // entry and the panel share (the injection keys, useHelper()) is the launcher's, named for
        // what it is.
        chunkFileNames: (chunk) => (chunk.isDynamicEntry ? '[name].js' : 'launcher.js'),
        // The launcher's stylesheet keeps the name the package exports it under.
        // (It is the entry's own CSS when the launcher's code sits in the entry chunk.)
        assetFileNames: (asset) =>
          asset.names.some((name) => name.endsWith('HelperWidget.css') || name === 'index.css')
            ? 'style.css'
            : '[name][extname]',
      },
    },
  },
});
