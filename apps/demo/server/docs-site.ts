import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the demo serves the documentation site: VitePress's `base` (docs/.vitepress/config.ts). */
export const DOCS_PATH = '/guide';

/**
 * VitePress's inline scripts that the pages need, by their `id`: the colour-scheme check, which
 * sets the dark theme before the page paints, and the keyboard check, which picks ⌘ or Ctrl for
 * the search shortcut. Nothing else inline may run.
 */
const INLINE_SCRIPT_IDS = ['check-dark-mode', 'check-mac-os'];

/**
 * The `'sha256-…'` source of each of those scripts in a built page. Read from the build rather
 * than written down here, so another VitePress version needs no change; a script they do not
 * name stays blocked.
 */
export function inlineScriptHashes(html: string): string[] {
  return INLINE_SCRIPT_IDS.flatMap((id) => {
    const script = new RegExp(`<script id="${id}">([^<]*)</script>`).exec(html)?.[1];
    if (script === undefined) return [];
    return [`'sha256-${createHash('sha256').update(script).digest('base64')}'`];
  });
}

/**
 * The site's Content-Security-Policy: everything from the demo's own origin, the widget's
 * requests included; of inline code, only the hashed scripts. Code blocks colour their tokens
 * with `style` attributes, hence `style-src-attr`: an attribute cannot run code, and inline
 * `<style>` elements stay blocked. See docs/README.md, "Try the widget live".
 */
export function docsContentSecurityPolicy(scriptHashes: string[]): string {
  return [
    "default-src 'self'",
    `script-src ${["'self'", ...scriptHashes].join(' ')}`,
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves the built documentation site (`pnpm docs:build`) under {@link DOCS_PATH}, where its
 * live widget talks to this server on the same origin. Answers whether it was there to serve;
 * when it is not, the path says how to build it.
 */
export function serveDocsSite(app: NestExpressApplication, siteDir: string): boolean {
  const index = join(siteDir, 'index.html');
  if (!existsSync(index)) {
    app.use(DOCS_PATH, (_request: Request, response: Response) => {
      response
        .status(404)
        .type('text/plain')
        .send('The documentation site is not built: run `pnpm docs:build`, then restart the demo.');
    });
    return false;
  }
  const policy = docsContentSecurityPolicy(inlineScriptHashes(readFileSync(index, 'utf8')));
  app.use(DOCS_PATH, (_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('Content-Security-Policy', policy);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  // `extensions`: the site's clean URLs (/guide/widget) are its .html files.
  app.useStaticAssets(siteDir, { prefix: `${DOCS_PATH}/`, extensions: ['html'] });
  app.use(DOCS_PATH, (_request: Request, response: Response) => {
    // Relative to `root`: `send` refuses an absolute path through a dot folder (.vitepress).
    response.status(404).sendFile('404.html', { root: siteDir });
  });
  return true;
}
