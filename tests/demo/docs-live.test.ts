// The documentation site's live widget, in real Chromium: the built VitePress site served by the
// demo under /guide/ (with its Content-Security-Policy), the real widget on its pages talking to
// the demo's server, and what a reader sends arriving in the demo's staff API. Without a server
// (the same site on a static host), the page says so instead.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { MessagePage, StaffConversationSummary } from '@helperkit/core';
import { startDemo, type RunningDemo } from '../../apps/demo/server/demo-app.js';
import { artifactPath, collectPageErrors, launchChromium } from '../support/browser.js';
import { recordCspViolations } from '../support/csp.js';
import { serveStaticSite } from '../support/static-site.js';
import { buildDemoWeb } from './build-demo-web.js';
import { docsSite } from './build-docs-site.js';

const STAFF_TOKEN = 'docs-live-staff-token';
const MESSAGE = 'Hello from the widget page of the docs: does the live example reach you?';
/** The prompt docs/getting-started-vue.md gives its <LiveWidget>. */
const GETTING_STARTED_PROMPT = 'How do I install the widget?';
const UI_TIMEOUT_MS = 8_000;

describe('the live widget on the documentation site, served by the demo', () => {
  let site: { dir: string; temporary: boolean } | undefined;
  let webDir: string | undefined;
  let dataDir: string | undefined;
  let demo: RunningDemo | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    // Settled, not Promise.all: whichever succeeded must reach afterAll to be cleaned up.
    const [built, web, launched] = await Promise.allSettled([
      docsSite(),
      buildDemoWeb(),
      launchChromium(),
    ]);
    if (built.status === 'fulfilled') site = built.value;
    if (web.status === 'fulfilled') webDir = web.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    for (const result of [built, web, launched]) {
      if (result.status === 'rejected') throw result.reason;
    }
    dataDir = mkdtempSync(join(tmpdir(), 'helperkit-docs-live-data-'));
    demo = await startDemo({
      logger: false,
      env: {
        DEMO_STAFF_TOKEN: STAFF_TOKEN,
        HELPERKIT_DEMO_DATABASE: join(dataDir, 'helperkit.sqlite'),
        HELPERKIT_DEMO_WEB_DIR: webDir!,
        HELPERKIT_DEMO_DOCS_DIR: site!.dir,
        PORT: '0',
        HOST: '127.0.0.1',
      },
    });
    // A site that is not built yet takes VitePress about a minute on a busy machine.
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    const dirs = [webDir, dataDir, site?.temporary ? site.dir : undefined];
    for (const dir of dirs) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  /** Each page, with what it reports: errors in its console, CSP violations. */
  const opened: { page: Page; errors: string[]; violations: () => Promise<string[]> }[] = [];

  afterEach(async () => {
    for (const { page, errors, violations } of opened.splice(0)) {
      expect(await violations()).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });

  /** A reader's tab, in a browser profile of its own: a new anonymous visitor each time. */
  async function newReader(): Promise<Page> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    return context.newPage();
  }

  async function openDocsPage(path: string): Promise<Page> {
    const page = await newReader();
    const errors = collectPageErrors(page);
    const violations = await recordCspViolations(page);
    opened.push({ page, errors, violations });
    await page.goto(`${demo!.url}/guide/${path}`);
    await page.locator('[data-live-widget="live"]').waitFor();
    return page;
  }

  /** Waits until a text box holds `expected` (the widget fills it in once its panel is there). */
  async function untilValue(box: Locator, expected: string): Promise<void> {
    const deadline = Date.now() + UI_TIMEOUT_MS;
    let value = await box.inputValue();
    while (value !== expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      value = await box.inputValue();
    }
    expect(value).toBe(expected);
  }

  async function staff<T>(path: string): Promise<T> {
    const response = await fetch(`${demo!.url}/helper${path}`, {
      headers: { authorization: `Bearer ${STAFF_TOKEN}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  it('serves the site under /guide/ with a policy that allows only its two inline scripts', async () => {
    const answer = await fetch(`${demo!.url}/guide/widget`);
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('<h1');
    const policy = answer.headers.get('content-security-policy') ?? '';
    const scriptSources = /script-src ([^;]*)/.exec(policy)?.[1]?.split(' ');
    expect(scriptSources).toEqual([
      "'self'",
      expect.stringMatching(/^'sha256-/),
      expect.stringMatching(/^'sha256-/),
    ]);
    expect(policy).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|style-src [^;]*unsafe/);
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');

    // The home page, with or without the trailing slash.
    for (const path of ['/guide/', '/guide']) {
      const home = await fetch(`${demo!.url}${path}`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('helperkit documentation');
    }

    const missing = await fetch(`${demo!.url}/guide/no-such-page`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(policy);
    // VitePress's 404 page, which renders itself in the browser.
    expect(await missing.text()).toContain('src="/guide/assets/app.');
  });

  it('sends a message from the live widget on widget.md that staff then find', async () => {
    const page = await openDocsPage('widget');
    // The site's own stylesheet is the one its pages link, not the widget's panel.css.
    expect(await page.locator('.VPSidebar').evaluate((e) => getComputedStyle(e).position)).toBe(
      'fixed',
    );
    await page.getByRole('button', { name: 'open()', exact: true }).click();
    const panel = page.getByRole('dialog');
    const composer = panel.getByRole('textbox');
    await composer.fill(MESSAGE);
    await composer.press('Enter');
    await panel.getByRole('log').getByText(MESSAGE).waitFor();
    await page.screenshot({ path: artifactPath('docs-live-widget.png') });

    // The demo's staff see it in their inbox, through helperkit's staff API.
    let conversation: StaffConversationSummary | undefined;
    for (let attempt = 0; attempt < 50 && !conversation; attempt++) {
      const { conversations } = await staff<{ conversations: StaffConversationSummary[] }>(
        '/staff/conversations',
      );
      conversation = conversations.find((c) => c.lastMessage?.preview === MESSAGE);
      if (!conversation) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(conversation).toBeDefined();
    expect(conversation!.customer).toBeNull(); // nobody is logged in to the demo: anonymous
    const { messages } = await staff<MessagePage>(
      `/staff/conversations/${conversation!.id}/messages`,
    );
    expect(messages.map(({ author, body }) => ({ author, body }))).toEqual([
      { author: 'customer', body: MESSAGE },
    ]);
  });

  it('fills the composer with the prompt, from open({ prompt }) and from data-helper-prompt', async () => {
    const page = await openDocsPage('getting-started-vue');
    const panel = page.getByRole('dialog');

    await page.getByRole('button', { name: 'open({ prompt })' }).click();
    await untilValue(panel.getByRole('textbox'), GETTING_STARTED_PROMPT);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });

    // The page's own element, with no script of the page: the widget listens for it.
    await page.getByRole('button', { name: 'data-helper-prompt' }).click();
    await untilValue(panel.getByRole('textbox'), GETTING_STARTED_PROMPT);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'data-helper-toggle' }).click();
    await panel.waitFor();
    await page.getByRole('button', { name: 'data-helper-toggle' }).click();
    await panel.waitFor({ state: 'hidden' });
  });

  it('starts the widget again in the language and theme chosen on the page', async () => {
    const page = await openDocsPage('widget');
    const block = page.locator('[data-live-widget]');
    await block.getByLabel('locale').selectOption('de');
    await page.locator('[data-live-widget="live"]').waitFor();
    await block.getByLabel('theme').selectOption('dark');
    await page.locator('[data-live-widget="live"]').waitFor();

    await page.getByRole('button', { name: 'open()', exact: true }).click();
    const panel = page.getByRole('dialog');
    await panel.getByRole('button', { name: 'Senden' }).waitFor();
    const root = page.locator('.helperkit');
    expect(await root.count()).toBe(1); // the widget of the earlier options is gone
    expect(await root.getAttribute('lang')).toBe('de');
    expect(await root.getAttribute('data-helper-theme')).toBe('dark');
  });

  it('says how to try it when no helperkit server answers (the site on a static host)', async () => {
    const host = await serveStaticSite(site!.dir, '/guide');
    const page = await newReader();
    const uncaught: string[] = [];
    page.on('pageerror', (error) => uncaught.push(error.message));
    try {
      await page.goto(`${host.url}/guide/getting-started-vue`);
      const block = page.locator('[data-live-widget="offline"]');
      await block.waitFor();
      expect(await block.getByRole('status').textContent()).toMatch(
        /No helperkit server answers at \/helper.*Start pnpm demo/s,
      );
      await block.getByRole('button', { name: 'Try again' }).waitFor();
      expect(await block.getByRole('button', { name: 'open()', exact: true }).isDisabled()).toBe(
        true,
      );
      expect(await page.locator('.helperkit').count()).toBe(0);
      // The rest of the page is the page.
      await page.getByRole('heading', { name: 'Getting started: the Vue widget' }).waitFor();
      expect(uncaught).toEqual([]);
    } finally {
      await page.context().close();
      await host.close();
    }
  });
});
