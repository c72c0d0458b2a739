// Read state and typing in a real browser: the unread badge comes from the server, so it
// survives a reload, and "Support is typing…" appears when staff type and ends by itself.
import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import type { StaffConversationSummary } from '@helperkit/core';
import { artifactPath, collectPageErrors } from '../support/browser.js';
import { useWidgetHost } from '../support/widget-host.js';

const READER = 'reader@example.com';
const WATCHER = 'watcher@example.com';

type InboxItem = StaffConversationSummary & { customerLastReadId: number | null };

describe('read state and typing in <HelperWidget>, against a real Nest app', () => {
  const widget = useWidgetHost({ customers: { [READER]: 100, [WATCHER]: 100 } });

  /** A logged-in customer's page, loaded. */
  async function customerPage(email: string) {
    const opened = await widget.customerPage(email);
    await opened.page.goto(`${widget.host.url}/`);
    return opened;
  }

  const startConversation = (page: Page, email: string, text: string) =>
    widget.startConversation<InboxItem>(page, email, text);

  it('raises the badge for a reply while the panel is closed, and keeps it across a reload', async () => {
    const { context, page } = await customerPage(READER);
    const errors = collectPageErrors(page);
    const conversation = await startConversation(page, READER, 'Did my refund go through?');
    const toggle = page.locator('[data-helper-toggle-button]');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    await widget.host.staff('POST', `/staff/conversations/${conversation.id}/messages`, {
      body: 'Yes, on Monday.',
    });
    const badge = toggle.locator('.helperkit-badge');
    await badge.getByText('1', { exact: true }).waitFor();

    // A reload: nothing of the live event is left in the page, the count comes from the server.
    await page.reload();
    await badge.getByText('1', { exact: true }).waitFor();
    expect(await toggle.getAttribute('aria-label')).toBe('Open Support chat, 1 unread');
    await page.screenshot({ path: artifactPath('widget-unread-after-reload.png') });

    // Reading it clears the badge for good, and staff see that the customer has read it.
    await toggle.click();
    await page.locator('.helperkit-item').first().click();
    await page.getByRole('log').getByText('Yes, on Monday.').waitFor();
    await badge.waitFor({ state: 'detached' });
    let seen: InboxItem | undefined;
    for (let attempt = 0; attempt < 50 && seen?.customerLastReadId == null; attempt++) {
      const { conversations } = await widget.host.staff<{ conversations: InboxItem[] }>(
        'GET',
        '/staff/conversations',
      );
      seen = conversations.find((c) => c.id === conversation.id);
      if (seen?.customerLastReadId == null) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen?.customerLastReadId).toEqual(expect.any(Number));
    await page.reload();
    await page.locator('[data-helper-status]').getByText('ready').waitFor();
    await page.waitForFunction(() => {
      const label = document
        .querySelector('[data-helper-toggle-button]')
        ?.getAttribute('aria-label');
      return label === 'Open Support chat';
    });
    expect(await toggle.locator('.helperkit-badge').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows "Support is typing…" when staff type, and ends it by itself', async () => {
    const { context, page } = await customerPage(WATCHER);
    const errors = collectPageErrors(page);
    const conversation = await startConversation(page, WATCHER, 'Anyone there?');

    // 202 with no body, which the support helper's JSON reading refuses: anything else throws.
    await widget.host
      .staff('POST', `/staff/conversations/${conversation.id}/typing`)
      .catch((error: unknown) => {
        if ((error as Error).name !== 'SyntaxError') throw error;
      });
    const indicator = page.locator('.helperkit-typing');
    await indicator.getByText('Support is typing…').waitFor();
    expect(await indicator.getAttribute('aria-live')).toBe('polite');
    await page.screenshot({ path: artifactPath('widget-staff-typing.png') });
    // Nobody types again: it goes after its 6 s (the wait only bounds the test).
    await indicator.getByText('Support is typing…').waitFor({ state: 'detached', timeout: 15_000 });
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
