// The chat in a real browser: a customer writes in the widget, support staff answer
// through the staff endpoints, and the answer appears in the open widget without a reload.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import type { StaffConversationSummary } from '@helperkit/core';
import { artifactPath, collectPageErrors, launchChromium } from '../support/browser.js';
import { LOGIN_COOKIE, startHostApp, type RunningHostApp } from '../support/host-app.js';
import { buildVuePage } from '../support/vite-page.js';

const HOST_PAGE = fileURLToPath(new URL('./fixtures/host-page/', import.meta.url));
const CUSTOMER = 'chatty@example.com';
const CAREFUL = 'careful@example.com';

describe('the chat in <HelperWidget>, against a real Nest app', () => {
  let pageDir: string | undefined;
  let host: RunningHostApp | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const [built, launched] = await Promise.allSettled([buildVuePage(HOST_PAGE), launchChromium()]);
    if (built.status === 'fulfilled') pageDir = built.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (built.status === 'rejected') throw built.reason;
    if (launched.status === 'rejected') throw launched.reason;
    host = await startHostApp({
      staticDir: built.value,
      customers: { [CUSTOMER]: 100, [CAREFUL]: 100 },
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    if (pageDir !== undefined) rmSync(pageDir, { recursive: true, force: true });
  });

  /** A new browser context logged in as `customer`, its page and the errors the page logs. */
  async function pageOf(customer: string) {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(8_000);
    await context.addCookies([
      { name: LOGIN_COOKIE, value: encodeURIComponent(customer), url: host!.url },
    ]);
    const page = await context.newPage();
    return { context, page, errors: collectPageErrors(page) };
  }

  it('shows a staff reply in the open widget without a reload', async () => {
    const { context, page, errors } = await pageOf(CUSTOMER);
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(`${host!.url}/`);

    await page.locator('[data-helper-toggle-button]').click();
    const composer = page.getByRole('textbox');
    await composer.fill('Hello, is my order on its way?');
    await composer.press('Enter');
    const log = page.getByRole('log');
    await log.getByText('Hello, is my order on its way?').waitFor();

    // Support staff see the conversation, with the customer, and answer it.
    let conversation: StaffConversationSummary | undefined;
    for (let attempt = 0; attempt < 50 && !conversation; attempt++) {
      const { conversations } = await host!.staff<{ conversations: StaffConversationSummary[] }>(
        'GET',
        '/staff/conversations',
      );
      conversation = conversations.find((c) => c.customer?.email === CUSTOMER);
      if (!conversation) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(conversation?.lastMessage?.preview).toBe('Hello, is my order on its way?');
    await host!.staff('POST', `/staff/conversations/${conversation!.id}/messages`, {
      body: 'Yes: it arrives tomorrow.',
    });

    await log.getByText('Yes: it arrives tomorrow.').waitFor();
    expect(loads).toBe(1);
    await page.screenshot({ path: artifactPath('widget-chat-staff-reply.png') });
    expect(errors).toEqual([]);
    await context.close();
  }, 30_000);

  it('gives a text the server refuses back to the composer, with the reason', async () => {
    const { context, page, errors } = await pageOf(CAREFUL);
    await page.goto(`${host!.url}/`);

    await page.locator('[data-helper-toggle-button]').click();
    const composer = page.getByRole('textbox');
    // The widget leaves the text's check to the server, which refuses control characters.
    const text = 'Order 1042 \u0007 has not arrived';
    await composer.fill(text);
    await composer.press('Enter');
    await page
      .getByRole('alert')
      .getByText('The message contains characters that cannot be sent.')
      .waitFor();
    expect(await composer.inputValue()).toBe(text);
    expect(await composer.getAttribute('aria-invalid')).toBe('true');
    expect(await composer.getAttribute('maxlength')).toBe('10000');
    const log = page.getByRole('log');
    expect(await log.getByText('Order 1042').count()).toBe(0);

    await composer.fill('Order 1042 has not arrived');
    await composer.press('Enter');
    await log.getByText('Order 1042 has not arrived').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    // The refused request is the only error: Chromium logs every 4xx answer.
    expect(errors).toEqual([expect.stringContaining('status of 400')]);
    await context.close();
  }, 30_000);
});
