// Download size of the Vue widget (issue: 12 kB min+gzip, JS and CSS together), run after
// `pnpm build`. Vue is external and not counted; the core rules the widget uses are bundled into
// it and are. Baseline of the same run: the bare @helperkit/core browser entry, bundled.
import { build, transform, type Loader } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const TARGET_BYTES = 12 * 1024;
const repo = new URL('../', import.meta.url);
const widgetDist = new URL('packages/vue-helper/dist/', repo);
const coreEntry = fileURLToPath(new URL('packages/core/dist/index.js', repo));

interface Size {
  name: string;
  raw: number;
  min: number;
  gzip: number;
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const gzipBytes = (text: string) => gzipSync(text, { level: 9 }).length;

async function readBuilt(file: string): Promise<string> {
  try {
    return await readFile(new URL(file, widgetDist), 'utf8');
  } catch {
    throw new Error(`packages/vue-helper/dist/${file} is missing: run \`pnpm build\` first.`);
  }
}

async function measureFile(file: string, loader: Loader): Promise<Size> {
  const code = await readBuilt(file);
  const { code: min } = await transform(code, { loader, minify: true });
  return { name: `dist/${file}`, raw: bytes(code), min: bytes(min), gzip: gzipBytes(min) };
}

async function bundleCore(minify: boolean): Promise<string> {
  const result = await build({
    entryPoints: [coreEntry],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify,
    write: false,
  });
  return result.outputFiles[0]!.text;
}

const js = await measureFile('helperkit-vue.js', 'js');
const css = await measureFile('style.css', 'css');
const total: Size = {
  name: 'total (JS + CSS)',
  raw: js.raw + css.raw,
  min: js.min + css.min,
  gzip: js.gzip + css.gzip,
};
const [coreRaw, coreMin] = await Promise.all([bundleCore(false), bundleCore(true)]);
const baseline: Size = {
  name: 'baseline: @helperkit/core entry, bundled',
  raw: bytes(coreRaw),
  min: bytes(coreMin),
  gzip: gzipBytes(coreMin),
};

const formatCount = (value: number) => value.toLocaleString('en-US');

console.log('\nwidget size (@helperkit/vue, vue external), bytes; ratio: min+gzip / baseline');
console.log(
  `${'file'.padEnd(46)}${'raw'.padStart(10)}${'min'.padStart(10)}${'min+gzip'.padStart(10)}${'ratio'.padStart(8)}`,
);
for (const size of [baseline, js, css, total]) {
  console.log(
    `${size.name.padEnd(46)}${formatCount(size.raw).padStart(10)}${formatCount(size.min).padStart(10)}${formatCount(size.gzip).padStart(10)}${(size.gzip / baseline.gzip).toFixed(2).padStart(8)}`,
  );
}
const verdict = total.gzip <= TARGET_BYTES ? 'met' : 'NOT MET';
console.log(
  `target: total min+gzip <= ${formatCount(TARGET_BYTES)} (12 kB): ${formatCount(total.gzip)}, ${(total.gzip / TARGET_BYTES).toFixed(2)} x target, ${verdict}`,
);
