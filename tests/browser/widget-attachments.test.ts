// Files in a real browser: a customer pastes a screenshot into the widget's composer under a
// strict CSP, sends it, sees it in the conversation, and staff get the very same bytes.
import { describe, expect, it } from '@jest/globals';
import type { StaffMessagePage } from '@helperkit/core';
import { artifactPath, collectPageErrors } from '../support/browser.js';
import { recordCspViolations, STRICT_CSP } from '../support/csp.js';
import { useWidgetHost } from '../support/widget-host.js';

const CUSTOMER = 'screenshots@example.com';
/** A 2×2 PNG, as a screenshot tool would put it on the clipboard. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGP4z8AARAwQCgAf7gP9i18U1AAAAABJRU5ErkJggg==';

describe('attachments in <HelperWidget>, against a real Nest app', () => {
  const widget = useWidgetHost({
    customers: { [CUSTOMER]: 100 },
    headers: { 'content-security-policy': STRICT_CSP },
  });

  it('sends an image pasted into the composer, and staff see it', async () => {
    const { context, page } = await widget.customerPage(CUSTOMER);
    const errors = collectPageErrors(page);
    const cspViolations = await recordCspViolations(page);
    await page.goto(`${widget.host.url}/`);

    // Files go into a conversation: the first message starts it.
    const conversation = await widget.startConversation(page, CUSTOMER, 'My screen looks wrong.');
    const composer = page.getByRole('textbox');
    const log = page.getByRole('log');
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
    const { messages } = await widget.host.staff<StaffMessagePage>(
      'GET',
      `/staff/conversations/${conversation.id}/messages`,
    );
    const sent = messages.find((message) => message.body === 'Here it is.')!;
    expect(sent.attachments).toEqual([
      expect.objectContaining({ name: 'screenshot.png', contentType: 'image/png', size: 73 }),
    ]);
    const download = await fetch(`${widget.host.url}${sent.attachments[0]!.url}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).toString('base64')).toBe(PNG_BASE64);

    await page.screenshot({ path: artifactPath('widget-attachment-sent.png') });
    // The browser logs the refused upload's 415 itself; nothing else went wrong.
    expect(errors).toEqual([expect.stringContaining('status of 415 (Unsupported Media Type)')]);
    expect(await cspViolations()).toEqual([]);
    await context.close();
  }, 30_000);
});
