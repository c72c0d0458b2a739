import { defineConfigWithTheme } from 'vitepress';
import { siteStylesheetFirst } from './site-stylesheet-first.js';
import type { DocsThemeConfig } from './theme/theme-config.js';

// Where the live widget's helperkit server is, chosen at build time; see docs/README.md.
// Default: the site's own origin, as when the demo serves the built site under /guide/.
const apiBase = process.env.HELPERKIT_DOCS_API || '/helper';
// The site's path: the demo serves it under /guide/ (its `/docs` is the API's Swagger UI).
const base = process.env.HELPERKIT_DOCS_BASE || '/guide/';
// `pnpm docs:dev` passes the widget's requests on to a running demo (`pnpm demo`).
const devProxyTarget = process.env.HELPERKIT_DOCS_PROXY || 'http://127.0.0.1:3000';

// The documentation site, built from the Markdown files of docs/ as they are, so the pages read
// the same on GitHub and on the site. `pnpm docs:build` builds it; `pnpm docs:dev` serves it.
export default defineConfigWithTheme<DocsThemeConfig>({
  title: 'helperkit',
  base,
  description: 'Customer-support chat for NestJS and Vue 3: identity, visibility, chat, email.',
  // docs/README.md is the index on GitHub; the site's home page is the same file.
  rewrites: { 'README.md': 'index.md' },
  cleanUrls: true,
  // Out of docs/, so that neither git nor the linters see the pre-bundled dependencies.
  cacheDir: '../node_modules/.cache/vitepress',
  lastUpdated: false,
  // No icon, and no request for one that is not there.
  head: [['link', { rel: 'icon', href: 'data:,' }]],
  // The pages' metadata in a script file rather than inline in every page, so the demo's
  // Content-Security-Policy needs no inline script but VitePress's colour-scheme checks.
  metaChunk: true,
  // The colour scheme switches without VueUse's trick of a `<style>` element that stops every
  // transition for a moment: that element is inline style, which the demo's policy blocks.
  appearance: { disableTransition: false },
  vite: {
    plugins: [siteStylesheetFirst()],
    resolve: {
      // The widget from the repository's source, as the demo does: the live example never runs a
      // stale build, and `pnpm docs:build` needs no `pnpm build` first. (VitePress's Vite adds
      // these conditions to its defaults.)
      conditions: ['@helperkit/source'],
      // The site and the widget must share one Vue.
      dedupe: ['vue'],
    },
    server: {
      proxy: { [new URL(apiBase, 'http://site').pathname]: devProxyTarget },
    },
  },
  themeConfig: {
    liveWidget: { apiBase },
    search: { provider: 'local' },
    nav: [
      { text: 'Get started', link: '/getting-started-nest' },
      { text: 'HTTP API', link: '/api-reference' },
      { text: 'Recipes', link: '/recipes/server-rendered-page' },
    ],
    sidebar: [
      {
        text: 'Get started',
        items: [
          { text: 'NestJS server', link: '/getting-started-nest' },
          { text: 'Vue widget', link: '/getting-started-vue' },
        ],
      },
      {
        text: 'Reference',
        items: [
          { text: 'Options', link: '/options' },
          { text: 'HTTP API', link: '/http-api' },
          { text: 'HTTP API (OpenAPI)', link: '/api-reference' },
          { text: 'OpenAPI', link: '/openapi' },
          { text: 'The widget', link: '/widget' },
          { text: 'Protocol', link: '/protocol' },
        ],
      },
      {
        text: 'Recipes',
        items: [
          { text: 'Server-rendered page', link: '/recipes/server-rendered-page' },
          { text: 'Separate origins', link: '/recipes/separate-origins' },
          { text: 'Secret rotation', link: '/recipes/secret-rotation' },
          { text: 'PostgreSQL', link: '/recipes/postgresql' },
          { text: 'Fastify', link: '/recipes/fastify' },
        ],
      },
      {
        text: 'How it works',
        items: [
          { text: 'Architecture', link: '/architecture' },
          { text: 'Security model', link: '/security-model' },
          { text: 'Mailboxes', link: '/mailboxes' },
          { text: 'Storage', link: '/storage' },
          { text: 'Platforms', link: '/platforms' },
          { text: 'Limits', link: '/limits' },
        ],
      },
      {
        text: 'Email',
        items: [
          { text: 'Email to chat', link: '/email' },
          { text: 'Sender authentication', link: '/email-authentication' },
          { text: 'Loop prevention', link: '/loop-prevention' },
        ],
      },
    ],
  },
});
