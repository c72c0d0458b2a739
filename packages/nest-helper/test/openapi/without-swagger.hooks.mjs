// Node module hooks for a child process that runs the module's TypeScript source as a host would
// run it, on a machine where `@nestjs/swagger` is not installed: that package does not resolve,
// and .ts files are compiled by SWC with decorator metadata (Nest's injection by type needs it).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';

const HIDDEN = '@nestjs/swagger';

export async function resolve(specifier, context, nextResolve) {
  if (specifier === HIDDEN || specifier.startsWith(`${HIDDEN}/`)) {
    const error = new Error(`Cannot find package '${HIDDEN}' imported from ${context.parentURL}`);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    // The source imports `./x.js` for `./x.ts`, as NodeNext TypeScript does.
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.endsWith('.js')) throw error;
    return nextResolve(specifier.replace(/\.js$/, '.ts'), context);
  }
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.ts')) return nextLoad(url, context);
  const source = await readFile(fileURLToPath(url), 'utf8');
  const { code } = await swc.transform(source, {
    filename: fileURLToPath(url),
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
