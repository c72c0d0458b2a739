import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const BUILD_SCRIPT = fileURLToPath(new URL('./build-vue-page.ts', import.meta.url));
const TESTS_DIR = fileURLToPath(new URL('../', import.meta.url));

/**
 * Builds the Vue page under `root` with Vite into a fresh temporary directory, and answers it.
 * Vite runs in a child Node process: inside jest's module sandbox, the values Vite hands to its
 * native bundler (rolldown) come from the sandbox's realm and are refused
 * ("Value is none of these types `String`, `RegExp`").
 */
export async function buildVuePage(root: string): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'helperkit-page-'));
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', BUILD_SCRIPT, root, outDir], {
      cwd: TESTS_DIR,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`Vite could not build the page in ${root}:\n${stderr}`, { cause: error });
  }
  return outDir;
}
