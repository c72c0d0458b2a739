// Download size of the Vue widget as a host's bundler ships it, run after `pnpm build`: Vite
// bundles a host entry that uses @helperkit/vue's built `dist` (Vue external and not counted; the
// core rules the widget uses are bundled and are), and each figure is the min+gzip sum of the
// files the browser fetches for it. Budgets (issue 14): the launcher 4 kB, launcher + panel +
// English 16 kB, each further locale 1.5 kB.
//
// The launcher is everything the browser fetches for the widget when the page loads, before any
// interaction and before its first idle callback: the entry chunk, every chunk it imports
// statically, and `style.css`. Vite's dynamic-import helper is in it (the widget's lazy chunks need
// it). The panel's chunk, which the widget loads at that first idle callback (or at the first
// open), is not; nor are the chunks only some visitors fetch at start-up: a language other than
// English (its catalogue, counted in that locale's figure), the option checks (only with a
// `title` or `metadata` option) and the email-to-chat link's code (only on a page opened from one).
//
// The host is built with Vite's defaults for an app. An app's entry exports nothing, so Vite
// (`preserveEntrySignatures: false`) may keep code its lazy chunks share inside the entry chunk.
// This entry re-exports the widget's API only so that nothing is tree-shaken, and
// `allow-extension` gives the bundler the same freedom ('strict', a library's setting, would split
// that shared code into a chunk of its own, which the launcher would still fetch at once).
// Baseline of the same run: the bare @helperkit/core browser entry, bundled the same way.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin, type Rolldown } from 'vite';
import { recordResults } from './lib/results.js';

const KB = 1024;
const LOCALES = ['de', 'fr', 'es', 'pt', 'ja', 'ar'];
const BUDGETS = { launcher: 4 * KB, full: 16 * KB, locale: 1.5 * KB };

const widgetDist = fileURLToPath(new URL('../packages/vue-helper/dist/', import.meta.url));
const benchDir = fileURLToPath(new URL('./', import.meta.url));

const HOST_ENTRY = `
import { createHelper, HelperWidget, useHelper } from '@helperkit/vue';
import '@helperkit/vue/style.css';
export { createHelper, HelperWidget, useHelper };
`;
const CORE_ENTRY = `export * from '@helperkit/core';`;

interface Size {
  name: string;
  raw: number;
  min: number;
  gzip: number;
}

type Output = Rolldown.OutputChunk | Rolldown.OutputAsset;

/** One host entry as a virtual module, so the bench needs no file of its own for it. */
const hostEntry = (code: string): Plugin => ({
  name: 'bench:host-entry',
  resolveId: (id) => (id === 'host-entry' ? '\0host-entry' : undefined),
  load: (id) => (id === '\0host-entry' ? code : undefined),
});

async function bundle(code: string, minify: boolean): Promise<Map<string, Output>> {
  const result = await build({
    configFile: false,
    root: benchDir,
    logLevel: 'silent',
    plugins: [hostEntry(code)],
    resolve: {
      alias: {
        '@helperkit/vue/style.css': `${widgetDist}style.css`,
        '@helperkit/vue': `${widgetDist}helperkit-vue.js`,
      },
    },
    build: {
      write: false,
      minify,
      cssMinify: minify,
      rolldownOptions: {
        input: 'host-entry',
        external: ['vue'],
        preserveEntrySignatures: 'allow-extension', // see the header
      },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  return new Map(outputs.flatMap((o) => o.output).map((file) => [file.fileName, file]));
}

const text = (file: Output) =>
  file.type === 'chunk' ? file.code : Buffer.from(file.source).toString('utf8');

/**
 * The files a chunk needs before it shows anything (its static imports, transitively, and their
 * stylesheets), itself included.
 */
function withStaticImports(files: Map<string, Output>, start: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    const file = files.get(name);
    if (!file || seen.has(name)) return;
    seen.add(name);
    if (file.type === 'chunk') {
      file.imports.forEach(visit);
      file.viteMetadata?.importedCss.forEach((css) => seen.add(css));
      // The panel links its stylesheet itself, from a `new URL(..., import.meta.url)` asset.
      file.viteMetadata?.importedAssets.forEach(
        (asset) => asset.endsWith('.css') && seen.add(asset),
      );
    }
  };
  start.forEach(visit);
  return seen;
}

function measure(
  name: string,
  names: Set<string>,
  raw: Map<string, Output>,
  min: Map<string, Output>,
): Size {
  const size: Size = { name, raw: 0, min: 0, gzip: 0 };
  for (const [file, output] of min) {
    if (!names.has(file)) continue;
    const code = text(output);
    size.min += Buffer.byteLength(code);
    size.gzip += gzipSync(code, { level: 9 }).length;
  }
  // The unminified build names its files alike, hashes aside: match by each file's chunk name.
  const key = (file: Output) =>
    file.type === 'chunk' ? `js:${file.name}` : `css:${file.names[0]}`;
  const wanted = new Set([...names].map((file) => key(min.get(file)!)));
  for (const output of raw.values()) {
    if (wanted.has(key(output))) size.raw += Buffer.byteLength(text(output));
  }
  return size;
}

if (!existsSync(`${widgetDist}helperkit-vue.js`)) {
  throw new Error('packages/vue-helper/dist is missing: run `pnpm build` first.');
}
const [raw, min, coreRaw, coreMin] = await Promise.all([
  bundle(HOST_ENTRY, false),
  bundle(HOST_ENTRY, true),
  bundle(CORE_ENTRY, false),
  bundle(CORE_ENTRY, true),
]);

const chunks = [...min.values()].filter((file) => file.type === 'chunk');
const entry = chunks.find((chunk) => chunk.isEntry)!;
const byName = (name: string) => {
  const chunk = chunks.find((c) => c.name === name);
  if (!chunk) throw new Error(`No "${name}" chunk in the host's build: is dist up to date?`);
  return chunk.fileName;
};
const launcherFiles = withStaticImports(min, [entry.fileName]);
const fullFiles = withStaticImports(min, [entry.fileName, byName('panel')]);
const coreEntry = [...coreMin.values()].find((f) => f.type === 'chunk' && f.isEntry)!;

const baseline = measure(
  'baseline: @helperkit/core entry, bundled',
  new Set([coreEntry.fileName]),
  coreRaw,
  coreMin,
);
const launcher = measure('launcher (entry JS + style.css)', launcherFiles, raw, min);
const full = measure('launcher + panel + en (JS + CSS)', fullFiles, raw, min);
/** What loading `chunks` adds to the launcher and the panel, which are there already. */
const beyondFull = (label: string, ...chunks: string[]) => {
  const files = withStaticImports(min, chunks.map(byName));
  for (const file of fullFiles) files.delete(file);
  return measure(label, files, raw, min);
};
// A language other than English: its catalogue.
const locales = LOCALES.map((locale) => beyondFull(`locale ${locale}`, locale));
// Loaded only for a `title` or `metadata` option, once; no budget of its own.
const checks = beyondFull('option checks (title, metadata)', 'checks');
// Loaded only on a page opened from an email-to-chat link (`?helper_chat=`); no budget of its own.
const chatLink = beyondFull('email-to-chat link (?helper_chat=)', 'chat-link');

const formatCount = (value: number) => value.toLocaleString('en-US');

console.log(
  '\nwidget size (@helperkit/vue as Vite bundles it for a host, vue external), bytes; ratio: min+gzip / baseline',
);
console.log(
  `${'part'.padEnd(46)}${'raw'.padStart(10)}${'min'.padStart(10)}${'min+gzip'.padStart(10)}${'ratio'.padStart(8)}`,
);
for (const size of [baseline, launcher, full, ...locales, checks, chatLink]) {
  console.log(
    `${size.name.padEnd(46)}${formatCount(size.raw).padStart(10)}${formatCount(size.min).padStart(10)}${formatCount(size.gzip).padStart(10)}${(size.gzip / baseline.gzip).toFixed(2).padStart(8)}`,
  );
}
const target = (size: Size, budget: number, label: string) => {
  const met = size.gzip <= budget;
  console.log(
    `target: ${size.name} min+gzip <= ${formatCount(budget)} (${label}): ${formatCount(size.gzip)}, ${(size.gzip / budget).toFixed(2)} x target, ${met ? 'met' : 'NOT MET'}`,
  );
};
target(launcher, BUDGETS.launcher, '4 kB');
target(full, BUDGETS.full, '16 kB');
for (const locale of locales) target(locale, BUDGETS.locale, '1.5 kB');

// The two budgeted figures, merged into bench/results.json next to what other benchmarks put there.
recordResults({
  'widget.initialGzipBytes': launcher.gzip,
  'widget.totalGzipBytes': full.gzip,
});
