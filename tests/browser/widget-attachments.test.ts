// Files in a real browser: a customer pastes a screenshot into the widget's composer under a
// strict CSP, sends it, sees it in the conversation, and staff get the very same bytes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import type { StaffConversationSummary, StaffMessagePage } from '@helperkit/core';
import { artifactPath, collectPageErrors, launchChromium } from '../support/browser.js';
import { recordCspViolations, STRICT_CSP } from '../support/csp.js';
import { LOGIN_COOKIE, startHostApp, type RunningHostApp } from '../support/host-app.js';
import { buildVuePage } from '../support/vite-page.js';

const HOST_PAGE = fileURLToPath(new URL('./fixtures/host-page/', import.meta.url));
const CUSTOMER = 'screenshots@example.com';
/** A 2×2 PNG, as a screenshot tool would put it on the clipboard. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==';

describe('attachments in <HelperWidget>, against a real Nest app', () => {
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
      customers: { [CUSTOMER]: 100 },
      headers: { 'content-security-policy': STRICT_CSP },
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    if (pageDir !== undefined) rmSync(pageDir, { recursive: true, force: true });
  });

  it('sends an image pasted into the composer, and staff see it', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(8_000);
    await context.addCookies([
      { name: LOGIN_COOKIE, value: encodeURIComponent(CUSTOMER), url: host!.url },
    ]);
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const cspViolations = await recordCspViolations(page);
    await page.goto(`${host!.url}/`);

    // Files go into a conversation: the first message starts it.
    await page.locator('[data-helper-toggle-button]').click();
    const composer = page.getByRole('textbox');
    await composer.fill('My screen looks wrong.');
    await composer.press('Enter');
    const log = page.getByRole('log');
    await log.getByText('My screen looks wrong.').waitFor();
    await page.getByRole('button', { name: 'Attach a file' }).waitFor();

    await composer.evaluate((field, base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'screenshot.png', { type: 'image/png' }));
      field.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }),
      );
    }, PNG_BASE64);
    // An SVG (which could run scripts) is refused by the server, and the widget says so.
    await composer.evaluate((field) => {
      const transfer = new DataTransfer();
      const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
      transfer.items.add(new File([svg], 'drawing.svg', { type: 'image/svg+xml' }));
      field.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }),
      );
    });
    await page
      .getByRole('alert')
      .getByText('drawing.svg was not sent: this type of file is not accepted', { exact: false })
      .waitFor();
    await page.getByRole('button', { name: 'Remove drawing.svg' }).click();

    // The chip shows a preview; sending waits until the upload is done.
    const chips = page.getByRole('list', { name: 'Files to send' });
    await chips.getByText('screenshot.png').waitFor();
    expect(await chips.locator('img').count()).toBe(1);
    await page.getByRole('button', { name: 'Send' }).and(page.locator(':enabled')).waitFor();
    await composer.fill('Here it is.');
    await composer.press('Enter');

    // The message shows the image itself, loaded through its signed link.
    const shown = log.getByRole('img', { name: 'screenshot.png' });
    await shown.waitFor();
    await page.waitForFunction(
      (image) =>
        (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalWidth === 2,
      await shown.elementHandle(),
    );
    await chips.waitFor({ state: 'detached' });

    // Staff see the message with the file, and download the very bytes pasted.
    const { conversations } = await host!.staff<{ conversations: StaffConversationSummary[] }>(
      'GET',
      '/staff/conversations',
    );
    const conversation = conversations.find((c) => c.customer?.email === CUSTOMER)!;
    const { messages } = await host!.staff<StaffMessagePage>(
      'GET',
      `/staff/conversations/${conversation.id}/messages`,
    );
    const sent = messages.find((message) => message.body === 'Here it is.')!;
    expect(sent.attachments).toEqual([
      expect.objectContaining({ name: 'screenshot.png', contentType: 'image/png', size: 73 }),
    ]);
    const download = await fetch(`${host!.url}${sent.attachments[0]!.url}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).toString('base64')).toBe(PNG_BASE64);

    await page.screenshot({ path: artifactPath('widget-attachment-sent.png') });
    // The browser logs the refused upload's 415 itself; nothing else went wrong.
    expect(errors).toEqual([expect.stringContaining('status of 415 (Unsupported Media Type)')]);
    expect(await cspViolations()).toEqual([]);
    await context.close();
  }, 30_000);
});
