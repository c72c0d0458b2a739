import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  dts: { compilerOptions: { ignoreDeprecations: '6.0', customConditions: [] } },
  sourcemap: true,
  target: 'es2022',
  tsconfig: 'tsconfig.build.json',
};

export default defineConfig([
  {
    ...shared,
    // ES modules, one per source file: a host's bundler then keeps only the rules it uses, each in
    // the chunk that uses it, instead of one module holding every rule.
    entry: ['src/**/*.ts', '!src/**/*.test.ts'],
    bundle: false,
    format: ['esm'],
    dts: { ...(shared.dts as object), entry: ['src/index.ts', 'src/node.ts'] },
  },
  // CommonJS for `require`, bundled: Node loads it whole anyway.
  { ...shared, entry: ['src/index.ts', 'src/node.ts'], format: ['cjs'] },
]);
