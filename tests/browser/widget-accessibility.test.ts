// The widget for every visitor, in Chromium, on a host page served by a real Nest app under a
// strict Content-Security-Policy with Trusted Types, with the host's own <header>: axe-core's
// WCAG 2.1 A/AA rules closed, open and in a long conversation, light and dark, at 1280 and 360 px;
// the modal panel on a small screen; forced colours; languages, direction, placement, events,
// prompt, and the Helper-style `show_toggle_button` option. See docs/widget.md.
import { afterEach, describe, expect, it } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { addAxeTo, axeViolations } from '../support/axe.js';
import { artifactPath, collectPageErrors } from '../support/browser.js';
import { seedConversation } from '../support/conversation.js';
import { recordCspViolations, STRICT_CSP } from '../support/csp.js';
import { useWidgetHost } from '../support/widget-host.js';

const LONG_TALKER = 'long@example.com';
const LISTENER = 'events@example.com';
const NEWCOMER = 'new@example.com';
const REPLIES = Array.from({ length: 30 }, (_, i) => `Reply ${i + 1}: here is what we found.`);
const UI_TIMEOUT_MS = 8_000;

const TOGGLE = '[data-helper-toggle-button]';
const DIALOG = '[role="dialog"]';

interface Opened {
  page: Page;
  errors: string[];
  cspViolations: () => Promise<string[]>;
}

describe('the widget under a strict CSP, in Chromium, against a real Nest app', () => {
  let context: BrowserContext | undefined;
  let opened: Opened | undefined;
  let listenerConversation = '';
  const widget = useWidgetHost({
    page: 'widget-page',
    customers: { [LONG_TALKER]: 100, [LISTENER]: 100, [NEWCOMER]: 100 },
    headers: { 'content-security-policy': STRICT_CSP },
    prepare: addAxeTo,
    seed: async (host) => {
      await seedConversation(host, LONG_TALKER, 'My parcel has not arrived.', REPLIES);
      listenerConversation = await seedConversation(host, LISTENER, 'Any news?', []);
    },
  });

  afterEach(async () => {
    const violations = opened ? await opened.cspViolations() : [];
    const errors = opened?.errors ?? [];
    await context?.close();
    context = undefined;
    opened = undefined;
    // A widget that works only while the page's policy complains is not working.
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });

  /** The page as `email` sees it, once the widget's session has answered. */
  async function openPage(
    email: string,
    { query = '', width = 1280, colorScheme = 'light' as 'light' | 'dark' } = {},
  ): Promise<Page> {
    const { context: opening, page } = await widget.customerPage(email, { width, colorScheme });
    context = opening;
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    const errors = collectPageErrors(page);
    const cspViolations = await recordCspViolations(page);
    opened = { page, errors, cspViolations };
    await page.goto(`${widget.host.url}/${query}`);
    await page.locator('[data-helper-status]').getByText('ready').waitFor();
    return page;
  }

  const focusIsInDialog = (page: Page) =>
    page.evaluate(
      (selector) => document.querySelector(selector)?.contains(document.activeElement) ?? false,
      DIALOG,
    );

  const luminance = (page: Page, selector: string) =>
    page.locator(selector).evaluate((element) => {
      const [r, g, b] = getComputedStyle(element)
        .backgroundColor.match(/\d+/g)!
        .slice(0, 3)
        .map((channel) => {
          const c = Number(channel) / 255;
          return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    });

  describe.each([
    [1280, 'light'],
    [1280, 'dark'],
    [360, 'light'],
    [360, 'dark'],
  ] as const)('at %i px, %s', (width, colorScheme) => {
    it('axe finds nothing closed, open, and in a long conversation', async () => {
      const page = await openPage(LONG_TALKER, { width, colorScheme });
      await page.locator(TOGGLE).waitFor();
      expect(await axeViolations(page)).toEqual([]);

      await page.locator(TOGGLE).click();
      const dialog = page.locator(DIALOG);
      await dialog.locator('.helperkit-item').first().waitFor();
      expect(await page.locator(TOGGLE).getAttribute('aria-expanded')).toBe('true');
      expect(await axeViolations(page)).toEqual([]);

      await dialog.locator('.helperkit-item').first().click();
      await dialog.getByRole('log').getByText(REPLIES.at(-1)!).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: artifactPath(`widget-${width}-${colorScheme}.png`) });

      // The theme follows the visitor's colour scheme (the page leaves `theme` on auto).
      const background = await luminance(page, DIALOG);
      if (colorScheme === 'dark') expect(background).toBeLessThan(0.05);
      else expect(background).toBeGreaterThan(0.9);
    }, 60_000);
  });

  it('at 360 px the panel is a modal sheet: the page is inert, Tab stays inside, inputs are 16 px', async () => {
    const page = await openPage(LONG_TALKER, { width: 360 });
    await page.locator(TOGGLE).click();
    const dialog = page.locator(DIALOG);
    await dialog.locator('.helperkit-item').first().click();
    await dialog.getByRole('textbox').waitFor();

    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    expect(await page.locator('main').evaluate((main) => main.closest('[inert]') !== null)).toBe(
      true,
    );
    expect(await dialog.evaluate((element) => element.getBoundingClientRect().width)).toBe(360);
    const fontSize = await dialog
      .getByRole('textbox')
      .evaluate((field) => parseFloat(getComputedStyle(field).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(16);

    await dialog.getByRole('textbox').focus();
    for (let press = 0; press < 10; press++) {
      await page.keyboard.press('Tab');
      expect(await focusIsInDialog(page)).toBe(true);
    }
    for (let press = 0; press < 10; press++) {
      await page.keyboard.press('Shift+Tab');
      expect(await focusIsInDialog(page)).toBe(true);
    }

    // Closed, the page is the visitor's again.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.locator('main').evaluate((main) => main.closest('[inert]') === null)).toBe(
      true,
    );
  }, 30_000);

  it('in forced-colours mode, "Send" and "New conversation" keep a visible outline', async () => {
    const page = await openPage(LONG_TALKER);
    await page.emulateMedia({ forcedColors: 'active' });
    await page.locator(TOGGLE).click();
    const dialog = page.locator(DIALOG);
    const outline = (name: string) =>
      dialog.getByRole('button', { name }).evaluate((button) => {
        const style = getComputedStyle(button);
        return {
          width: parseFloat(style.borderTopWidth),
          differs: style.borderTopColor !== style.backgroundColor,
          transparent: style.borderTopColor === 'rgba(0, 0, 0, 0)',
        };
      });
    await dialog.getByRole('button', { name: 'New conversation' }).waitFor();
    expect(await outline('New conversation')).toEqual({
      width: 1,
      differs: true,
      transparent: false,
    });
    await dialog.getByRole('button', { name: 'New conversation' }).click();
    expect(await outline('Send')).toEqual({ width: 1, differs: true, transparent: false });
  });

  it('at 1280 px the panel is not modal: the host page stays usable', async () => {
    const page = await openPage(LONG_TALKER);
    await page.locator(TOGGLE).click();
    const dialog = page.locator(DIALOG);
    await dialog.locator('.helperkit-item').first().waitFor();

    expect(await dialog.getAttribute('aria-modal')).toBe('false');
    expect(await page.locator('[inert]').count()).toBe(0);
  });

  it('speaks German with locale "de", the default title translated', async () => {
    const page = await openPage(LONG_TALKER, { query: '?locale=de' });
    const toggle = page.locator(TOGGLE);
    expect(await toggle.getAttribute('aria-label')).toBe('Chat mit Kundenservice öffnen');
    expect(await page.locator('.helperkit').getAttribute('lang')).toBe('de');

    await toggle.click();
    const dialog = page.locator(DIALOG);
    await dialog.getByRole('button', { name: 'Neue Unterhaltung' }).waitFor();
    expect(await dialog.getByRole('heading').textContent()).toBe('Kundenservice');
    expect(await dialog.getByRole('list', { name: 'Unterhaltungen' }).count()).toBe(1);
  });

  it('is right to left in Arabic, and still on the right-hand side', async () => {
    const page = await openPage(LONG_TALKER, { query: '?locale=ar' });
    const root = page.locator('.helperkit');
    expect(await root.getAttribute('dir')).toBe('rtl');
    expect(await root.getAttribute('lang')).toBe('ar');
    const toggle = page.locator(TOGGLE);
    expect(await toggle.getAttribute('aria-label')).toBe('فتح الدردشة مع الدعم');
    const box = (await toggle.boundingBox())!;
    expect(box.x + box.width).toBe(1280 - 16);

    await toggle.click();
    const dialog = page.locator(DIALOG);
    await dialog.getByRole('button', { name: 'محادثة جديدة' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('sits on the left with position "left", the panel too', async () => {
    const page = await openPage(LONG_TALKER, { query: '?position=left' });
    const toggle = page.locator(TOGGLE);
    expect((await toggle.boundingBox())!.x).toBe(16);

    await toggle.click();
    const dialog = page.locator(DIALOG);
    await dialog.locator('.helperkit-item').first().waitFor();
    expect((await dialog.boundingBox())!.x).toBe(16);
  });

  it('is dark with theme "dark" whatever the colour scheme', async () => {
    const page = await openPage(LONG_TALKER, { query: '?theme=dark', colorScheme: 'light' });
    await page.locator(TOGGLE).click();
    await page.locator(DIALOG).locator('.helperkit-item').first().waitFor();
    expect(await page.locator('.helperkit').getAttribute('data-helper-theme')).toBe('dark');
    expect(await luminance(page, DIALOG)).toBeLessThan(0.05);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('tells the host ready, open, close, message and unread, in order, with ids and counts only', async () => {
    const page = await openPage(LISTENER);
    await page.locator(TOGGLE).click();
    await page.locator(DIALOG).locator('.helperkit-item').first().waitFor();
    await page.keyboard.press('Escape');
    await page.locator(DIALOG).waitFor({ state: 'hidden' });

    const { message } = await widget.host.staff<{ message: { id: number } }>(
      'POST',
      `/staff/conversations/${listenerConversation}/messages`,
      { body: 'A private answer the host page must not see.' },
    );
    const expected = [
      'ready {}',
      'open {"conversationId":null}',
      'close {}',
      `message {"conversationId":"${listenerConversation}","messageId":${message.id}}`,
      'unread {"count":1}',
    ];
    const logged = page.locator('[data-events="on"] li');
    await logged.nth(expected.length - 1).waitFor();
    expect(await logged.allTextContents()).toEqual(expected);
    expect(await page.locator('[data-events="window"] li').allTextContents()).toEqual(expected);
  });

  it('data-helper-prompt opens a new conversation with the composer filled in', async () => {
    const page = await openPage(LONG_TALKER);
    await page.getByRole('button', { name: 'Ask about order 1042' }).click();
    const field = page.locator(DIALOG).getByRole('textbox');
    await field.waitFor();
    expect(await field.inputValue()).toBe('Where is my order 1042?');
    expect(await page.locator(DIALOG).getByRole('log').locator('.helperkit-message').count()).toBe(
      0,
    );
  });

  it('honours Helper-style show_toggle_button: false, and the host button still opens the chat', async () => {
    const page = await openPage(NEWCOMER, { query: '?show_toggle_button=false' });
    expect(await page.locator(TOGGLE).count()).toBe(0);

    await page.getByRole('button', { name: 'Contact support' }).click();
    await page.locator(DIALOG).getByRole('textbox').waitFor();
    expect(await page.locator(TOGGLE).count()).toBe(0);
  });
});
