import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
};

export interface StaticSite {
  /** The server's URL, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the files of `dir` under `prefix` (e.g. `/guide`) on a free loopback port, and nothing
 * else: a static host, as a documentation site is deployed without any server of its own. Clean
 * URLs (`/guide/widget`) find their `.html` file; everything else answers 404.
 */
export async function serveStaticSite(dir: string, prefix: string): Promise<StaticSite> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://site').pathname;
    const relative = path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : null;
    const file = relative === null ? null : findFile(dir, decodeURIComponent(relative));
    if (file === null) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The file a site path names, never one outside `dir`. */
function findFile(dir: string, relative: string): string | null {
  const root = normalize(dir).replace(/[\\/]$/, '');
  const base = normalize(join(root, relative === '' ? 'index.html' : relative));
  if (!base.startsWith(`${root}${sep}`)) return null;
  for (const candidate of [base, `${base}.html`]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}
