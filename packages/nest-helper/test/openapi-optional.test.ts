import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A limit on the harness only: the child compiles the module's source with SWC as it loads it,
 * which on a loaded 2-core machine can take far longer than the default.
 */
const CHILD_TIMEOUT_MS = 180_000;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * Runs test/openapi/without-swagger.host.ts in plain Node, where `@nestjs/swagger` does not
 * resolve (a module hook hides it), and answers the JSON line it prints.
 */
async function hostWithoutSwagger(openApi: object = {}) {
  const { stdout } = await run(
    process.execPath,
    [
      '--conditions=@helperkit/source',
      '--import',
      here('./openapi/without-swagger.register.mjs'),
      here('./openapi/without-swagger.host.ts'),
      JSON.stringify(openApi),
    ],
    { cwd: here('..') },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

describe('without @nestjs/swagger installed', () => {
  it(
    'the module starts and answers; the OpenAPI metadata is simply left out',
    async () => {
      const host = await hostWithoutSwagger({ staffSecurity: 'hostStaff' });
      expect(host.swaggerImport).toBe('ERR_MODULE_NOT_FOUND');
      expect(host.settings).toMatchObject({ status: 200, body: { displayMode: 'always' } });
      expect(host.session).toMatchObject({ status: 200, body: { showWidget: true } });
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'a wrong openApi option is still refused with a clear error',
    async () => {
      const host = await hostWithoutSwagger({ staffSecurity: 42 });
      expect(host.swaggerImport).toBe('ERR_MODULE_NOT_FOUND');
      expect(host.startError).toMatch(/openApi must be \{ staffSecurity\?: string \}/);
    },
    CHILD_TIMEOUT_MS,
  );
});
