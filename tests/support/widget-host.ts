import { afterAll, beforeAll } from '@jest/globals';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { StaffConversationSummary } from '@helperkit/core';
import { launchChromium } from './browser.js';
import {
  LOGIN_COOKIE,
  startHostApp,
  type HostAppOptions,
  type RunningHostApp,
} from './host-app.js';
import { buildVuePage } from './vite-page.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../browser/fixtures/${name}/`, import.meta.url));

export interface WidgetHostOptions extends Pick<HostAppOptions, 'customers' | 'headers'> {
  /** The fixture page under `browser/fixtures/` (default `host-page`). */
  page?: 'host-page' | 'widget-page';
  /** Runs on the built page's directory before the app serves it. */
  prepare?: (builtDir: string) => void;
  /** Runs once the app is up, before the first test. */
  seed?: (host: RunningHostApp) => Promise<void>;
}

export interface PageOptions {
  width?: number;
  colorScheme?: 'light' | 'dark';
}

export interface WidgetHost {
  /** The running Nest host app (available inside tests, after `beforeAll`). */
  readonly host: RunningHostApp;
  /** A fresh browser context logged in as `email`, on the host page with the widget. */
  customerPage(
    email: string,
    options?: PageOptions,
  ): Promise<{ context: BrowserContext; page: Page }>;
  /**
   * The customer writes a first message in the widget; answers the conversation once staff see
   * it with that message.
   */
  startConversation<T extends StaffConversationSummary = StaffConversationSummary>(
    page: Page,
    email: string,
    text: string,
  ): Promise<T>;
}

/**
 * The set-up every widget-against-a-real-server suite shares: a fixture page built with Vite, a
 * real Nest host app serving it (with `customers` able to log in), and Chromium. Registers
 * its own `beforeAll`/`afterAll`, so call it at the top of a `describe`.
 */
export function useWidgetHost({
  page = 'host-page',
  prepare,
  seed,
  ...options
}: WidgetHostOptions): WidgetHost {
  let pageDir: string | undefined;
  let host: RunningHostApp | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    // Settled, not Promise.all: whichever of the two succeeded must reach afterAll to be cleaned
    // up, or a failed build leaves Chromium running and jest never exits.
    const [built, launched] = await Promise.allSettled([
      buildVuePage(fixture(page)),
      launchChromium(),
    ]);
    if (built.status === 'fulfilled') pageDir = built.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (built.status === 'rejected') throw built.reason;
    if (launched.status === 'rejected') throw launched.reason;
    prepare?.(built.value);
    host = await startHostApp({ ...options, staticDir: built.value });
    await seed?.(host);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    if (pageDir !== undefined) rmSync(pageDir, { recursive: true, force: true });
  });

  const running = (): RunningHostApp => {
    if (!host) throw new Error('the widget host is not running: use it inside a test');
    return host;
  };

  return {
    get host() {
      return running();
    },

    async customerPage(email, { width = 1280, colorScheme = 'light' } = {}) {
      // Below 480 px the panel is full-screen: a phone-shaped viewport.
      const viewport = { width, height: width < 480 ? 740 : 800 };
      const context = await browser!.newContext({ viewport, colorScheme });
      context.setDefaultTimeout(8_000);
      await context.addCookies([
        { name: LOGIN_COOKIE, value: encodeURIComponent(email), url: running().url },
      ]);
      const page = await context.newPage();
      return { context, page };
    },

    async startConversation<T extends StaffConversationSummary>(
      page: Page,
      email: string,
      text: string,
    ) {
      await page.locator('[data-helper-toggle-button]').click();
      const composer = page.getByRole('textbox');
      await composer.fill(text);
      await composer.press('Enter');
      await page.getByRole('log').getByText(text).waitFor();
      for (let attempt = 0; attempt < 50; attempt++) {
        const { conversations } = await running().staff<{ conversations: T[] }>(
          'GET',
          '/staff/conversations',
        );
        const found = conversations.find((c) => c.customer?.email === email);
        if (found?.lastMessage?.preview === text) return found;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`staff never saw ${email}'s conversation`);
    },
  };
}
