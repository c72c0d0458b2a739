import type { Plugin } from 'vitepress';

/**
 * Puts the site's own stylesheet first among the built CSS files. VitePress links the first CSS
 * file of the bundle into every page as the site's stylesheet, and the widget's panel brings one
 * of its own (`panel.css`, which the panel links itself when it opens): first, it would leave the
 * site unstyled. The other CSS files are emitted again, behind it, unchanged.
 */
export function siteStylesheetFirst(): Plugin {
  return {
    name: 'helperkit-docs:site-stylesheet-first',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const [fileName, file] of Object.entries(bundle)) {
        if (file.type !== 'asset' || !fileName.endsWith('.css') || file.name === 'style.css') {
          continue;
        }
        delete bundle[fileName];
        this.emitFile({ type: 'asset', fileName, source: file.source });
      }
    },
  };
}
