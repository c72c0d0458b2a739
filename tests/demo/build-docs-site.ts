import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** Where `pnpm docs:build` writes the site. */
export const SITE_DIR = join(REPO, 'docs', '.vitepress', 'dist');
/** What the site is built from: its pages and theme, and the widget it runs. */
const SOURCES = [
  join(REPO, 'docs'),
  join(REPO, 'packages', 'vue-helper', 'src'),
  join(REPO, 'packages', 'core', 'src'),
];
const SKIPPED = new Set(['dist', 'node_modules', 'cache']);

/** The newest modification time of any file under `dir` (the site's own output left out). */
function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs;
    newest = Math.max(newest, time);
  }
  return newest;
}

/**
 * Whether `dir` holds a site the demo can serve as it is: built with the defaults (under /guide/,
 * the widget on the page's own origin) and newer than every page, theme and widget source.
 */
function isUsable(dir: string): boolean {
  const index = join(dir, 'index.html');
  if (!existsSync(index) || !readFileSync(index, 'utf8').includes('src="/guide/assets/')) {
    return false;
  }
  const chunks = join(dir, 'assets', 'chunks');
  const sameOrigin = readdirSync(chunks)
    .filter((name) => name.startsWith('metadata.'))
    .some((name) =>
      readFileSync(join(chunks, name), 'utf8').includes(
        '\\"liveWidget\\":{\\"apiBase\\":\\"/helper\\"}',
      ),
    );
  const builtAt = statSync(index).mtimeMs;
  return sameOrigin && SOURCES.every((source) => newestChange(source) < builtAt);
}

/**
 * The documentation site for a test: the one `pnpm docs:build` made (CI builds it before the
 * tests) when it is usable, otherwise a fresh build, with the defaults, in a temporary directory
 * (about a minute on a busy machine). `temporary` says whether the caller must remove it.
 */
export async function docsSite(): Promise<{ dir: string; temporary: boolean }> {
  if (isUsable(SITE_DIR)) return { dir: SITE_DIR, temporary: false };
  const vitepress = join(REPO, 'node_modules', 'vitepress', 'bin', 'vitepress.js');
  const outDir = mkdtempSync(join(tmpdir(), 'helperkit-docs-site-'));
  const env = { ...process.env };
  // The defaults, whatever the environment says: the demo serves the site under /guide/, with the
  // widget on its own origin.
  for (const name of ['HELPERKIT_DOCS_API', 'HELPERKIT_DOCS_BASE']) delete env[name];
  try {
    await promisify(execFile)(process.execPath, [vitepress, 'build', 'docs', '--outDir', outDir], {
      cwd: REPO,
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw new Error(`VitePress could not build the documentation site:\n${stderr}`, {
      cause: error,
    });
  }
  return { dir: outDir, temporary: true };
}
