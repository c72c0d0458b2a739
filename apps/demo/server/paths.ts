import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The demo's folder (apps/demo), found from this file whether it runs from source (server/) or
 * from the build (dist/server/), so that paths do not depend on the working directory.
 */
export function demoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === '@helperkit/demo') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('The demo server runs outside apps/demo.');
    dir = parent;
  }
}
