// vue-tsc names a component's declarations `X.vue.d.ts`, which TypeScript finds for `import './X.vue'`
// under bundler resolution only. `X.d.vue.ts` is the name that every mode, node16 and nodenext
// included, looks up for a file with a non-JavaScript extension.
import { readdir, rename } from 'node:fs/promises';

const dist = new URL('../dist/', import.meta.url);
for (const file of await readdir(dist, { recursive: true })) {
  if (file.endsWith('.vue.d.ts')) {
    await rename(new URL(file, dist), new URL(file.replace(/\.vue\.d\.ts$/, '.d.vue.ts'), dist));
  }
}
