import { defineConfig } from 'vitepress';

// The documentation site, built from the Markdown files of docs/ as they are, so the pages read
// the same on GitHub and on the site. `pnpm docs:build` builds it; `pnpm docs:dev` serves it.
export default defineConfig({
  title: 'helperkit',
  description: 'Customer-support chat for NestJS and Vue 3: identity, visibility, chat, email.',
  // docs/README.md is the index on GitHub; the site's home page is the same file.
  rewrites: { 'README.md': 'index.md' },
  cleanUrls: true,
  // Out of docs/, so that neither git nor the linters see the pre-bundled dependencies.
  cacheDir: '../node_modules/.cache/vitepress',
  lastUpdated: false,
  themeConfig: {
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
