// The widget's visibility rules in a real browser, end to end: a Vue host page built with Vite
// from the workspace's source, served by a NestJS app with @helperkit/nest, whose signing
// middleware identifies the logged-in customer (a cookie) and whose session endpoint decides
// from the host's trusted revenue value.
import { afterEach, describe, expect, it } from '@jest/globals';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { WidgetSessionRequest, WidgetSessionResponse } from '@helperkit/core';
import { artifactPath, collectPageErrors, waitForFocus } from '../support/browser.js';
import { useWidgetHost } from '../support/widget-host.js';

const THRESHOLD = 1000;
const SMALL = 'small@example.com';
const BIG = 'big@example.com';
const CUSTOMERS = { [SMALL]: 50, [BIG]: 5000 };
const TITLE = 'Acme support';

const TOGGLE_BUTTON = '[data-helper-toggle-button]';
/** Where the host page shows the widget's `status` (see fixtures/host-page/main.ts). */
const HOST_STATUS = '[data-helper-status]';
/** Short, so a broken case fails in seconds with Playwright's message, well within jest's limit. */
const UI_TIMEOUT_MS = 5_000;

interface OpenedPage {
  page: Page;
  /** What the server decided for this customer. */
  session: WidgetSessionResponse;
}

describe('<HelperWidget> toggle button on a host page served by NestJS with @helperkit/nest', () => {
  let context: BrowserContext | undefined;
  let pageErrors: string[] = [];
  const widget = useWidgetHost({
    customers: CUSTOMERS,
    // Through the real admin endpoint, as the dashboard would.
    seed: (host) =>
      host
        .updateSettings({ displayMode: 'revenue_based', minValue: THRESHOLD, title: TITLE })
        .then(() => undefined),
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
    // A widget that works only while it throws in the console is not working.
    expect(pageErrors).toEqual([]);
  });

  /**
   * Opens the host page in a fresh browser context logged in as `email`, and waits until the
   * widget's session has answered and the page has rendered it, so that the absence of the
   * button afterwards is a decision, not a page still loading.
   */
  async function openHostPageAs(
    email: string,
    { query = '', width = 1280 } = {},
  ): Promise<OpenedPage> {
    const opened = await widget.customerPage(email, { width });
    context = opened.context;
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    const { page } = opened;
    pageErrors = collectPageErrors(page);
    const sessionResponse = page.waitForResponse(
      (response) =>
        response.request().method() === 'POST' &&
        new URL(response.url()).pathname === '/helper/widget/session',
    );
    await page.goto(`${widget.host.url}/${query}`);
    const response = await sessionResponse;
    expect(response.status()).toBe(200);
    const sessionRequest = response.request().postDataJSON() as WidgetSessionRequest;
    // The identity came from the login cookie, signed by the host's middleware.
    expect(sessionRequest.email).toBe(email);
    // The host page shows useHelper().status: once it settles, the button (or its absence) is
    // rendered too, in the same update, and `count() === 0` means hidden, not "not yet".
    await page.waitForFunction(
      (selector) =>
        ['ready', 'error'].includes(document.querySelector(selector)?.textContent ?? ''),
      HOST_STATUS,
    );
    expect(await page.locator(HOST_STATUS).textContent()).toBe('ready');
    return { page, session: (await response.json()) as WidgetSessionResponse };
  }

  const chatPanel = (page: Page) => page.getByRole('dialog', { name: TITLE });

  it('hides the floating button from a customer below the revenue threshold', async () => {
    const { page, session } = await openHostPageAs(SMALL);

    expect(session.showWidget).toBe(false);
    expect(await page.locator(TOGGLE_BUTTON).count()).toBe(0);
    expect(await chatPanel(page).count()).toBe(0);
    await page.screenshot({ path: artifactPath('host-page-below-threshold.png') });
  });

  it('shows a customer above the threshold a named button that opens and closes the chat', async () => {
    const { page, session } = await openHostPageAs(BIG);
    expect(session.showWidget).toBe(true);

    const button = page.getByRole('button', { name: `Open ${TITLE} chat` });
    await button.waitFor({ state: 'visible' });
    expect(await button.getAttribute('data-helper-toggle-button')).not.toBeNull();
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    await page.screenshot({ path: artifactPath('host-page-above-threshold.png') });

    await button.click();
    const panel = chatPanel(page);
    await panel.waitFor({ state: 'visible' });
    await panel.getByRole('heading', { name: TITLE }).waitFor({ state: 'visible' });
    await waitForFocus(panel);
    await page.screenshot({ path: artifactPath('widget-open.png') });

    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    await waitForFocus(button);
  });

  it('forces the button visible below the threshold when the page sets showToggleButton: true', async () => {
    const { page, session } = await openHostPageAs(SMALL, { query: '?toggle=true' });

    expect(session.showWidget).toBe(false);
    await page.getByRole('button', { name: `Open ${TITLE} chat` }).waitFor({ state: 'visible' });
  });

  it('hides the button above the threshold when the page sets showToggleButton: false', async () => {
    const { page, session } = await openHostPageAs(BIG, { query: '?toggle=false' });

    expect(session.showWidget).toBe(true);
    expect(await page.locator(TOGGLE_BUTTON).count()).toBe(0);
  });

  it("lets the host's own data-helper-toggle element open and close the chat when the button is hidden", async () => {
    const { page } = await openHostPageAs(SMALL);
    expect(await page.locator(TOGGLE_BUTTON).count()).toBe(0);
    const contactSupport = page.getByRole('button', { name: 'Contact support' });

    await contactSupport.click();
    await chatPanel(page).waitFor({ state: 'visible' });
    await contactSupport.click();
    await chatPanel(page).waitFor({ state: 'hidden' });
  });

  it('fits the button and the open chat inside a 360 px wide screen', async () => {
    const viewport = { width: 360, height: 740 };
    const { page } = await openHostPageAs(BIG, { width: viewport.width });
    const button = page.locator(TOGGLE_BUTTON);

    // Floating in the bottom-right corner, over the page, not in its flow.
    const buttonBox = await visibleBox(button, viewport);
    expect(buttonBox.x).toBeGreaterThan(viewport.width / 2);
    expect(buttonBox.y).toBeGreaterThan(viewport.height / 2);

    await button.click();
    const panel = chatPanel(page);
    await panel.waitFor({ state: 'visible' });
    // Wide enough to read, and nothing of it off screen.
    expect((await visibleBox(panel, viewport)).width).toBeGreaterThanOrEqual(viewport.width * 0.8);
    await page.screenshot({ path: artifactPath('widget-open-360px.png') });
  });
});

/** The element's box, after checking that all of it is inside the viewport. */
async function visibleBox(
  target: Locator,
  viewport: { width: number; height: number },
): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await target.boundingBox();
  if (box === null) throw new Error(`${String(target)} has no box: it is not rendered.`);
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  return box;
}
