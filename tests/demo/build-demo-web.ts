import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** apps/demo, whose Vite config builds the web app from the workspace packages' source. */
export const DEMO_DIR = fileURLToPath(new URL('../../apps/demo/', import.meta.url));

/**
 * Builds the demo's Vue app with its own Vite config into a fresh temporary directory, and
 * answers it. Always a fresh build (about a second): a reused one could be older than the
 * widget's source. Vite runs in a child process because it cannot run inside jest's module
 * sandbox (see tests/support/vite-page.ts).
 */
export async function buildDemoWeb(): Promise<string> {
  const vite = join(DEMO_DIR, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    throw new Error(`Vite is not installed for apps/demo (${vite}): run pnpm install.`);
  }
  const outDir = mkdtempSync(join(tmpdir(), 'helperkit-demo-web-'));
  try {
    await promisify(execFile)(
      process.execPath,
      [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
      { cwd: DEMO_DIR },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`Vite could not build the demo's web app:\n${stderr}`, { cause: error });
  }
  return outDir;
}
