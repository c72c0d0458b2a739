// vue-tsc names a component's declarations `X.vue.d.ts`, which TypeScript finds for `import './X.vue'`
// under bundler resolution only. `X.d.vue.ts` is the name that every mode, node16 and nodenext
// included, looks up for a file with a non-JavaScript extension.
// A stylesheet import means nothing to a declaration file, and under TypeScript's
// `noUncheckedSideEffectImports` it would make the host's type check look for the stylesheet's
// types: such imports are dropped from the declarations.
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';

const dist = new URL('../dist/', import.meta.url);
for (const file of await readdir(dist, { recursive: true })) {
  if (file.endsWith('.vue.d.ts')) {
    await rename(new URL(file, dist), new URL(file.replace(/\.vue\.d\.ts$/, '.d.vue.ts'), dist));
  }
}
for (const file of await readdir(dist, { recursive: true })) {
  if (!/\.d\.(vue\.)?ts$/.test(file)) continue;
  const path = new URL(file, dist);
  const text = await readFile(path, 'utf8');
  const kept = text.replace(/^import '[^']*\.css';\n/gm, '');
  if (kept !== text) await writeFile(path, kept);
}
