// The chat in a real browser: a customer writes in the widget, support staff answer
// through the staff endpoints, and the answer appears in the open widget without a reload.
import { describe, expect, it } from '@jest/globals';
import { artifactPath, collectPageErrors } from '../support/browser.js';
import { useWidgetHost } from '../support/widget-host.js';

const CUSTOMER = 'chatty@example.com';
const CAREFUL = 'careful@example.com';

describe('the chat in <HelperWidget>, against a real Nest app', () => {
  const widget = useWidgetHost({ customers: { [CUSTOMER]: 100, [CAREFUL]: 100 } });

  it('shows a staff reply in the open widget without a reload', async () => {
    const { context, page } = await widget.customerPage(CUSTOMER);
    const errors = collectPageErrors(page);
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(`${widget.host.url}/`);

    // Support staff see the conversation, with the customer, and answer it.
    const conversation = await widget.startConversation(
      page,
      CUSTOMER,
      'Hello, is my order on its way?',
    );
    expect(conversation.lastMessage?.preview).toBe('Hello, is my order on its way?');
    await widget.host.staff('POST', `/staff/conversations/${conversation.id}/messages`, {
      body: 'Yes: it arrives tomorrow.',
    });

    await page.getByRole('log').getByText('Yes: it arrives tomorrow.').waitFor();
    expect(loads).toBe(1);
    await page.screenshot({ path: artifactPath('widget-chat-staff-reply.png') });
    expect(errors).toEqual([]);
    await context.close();
  }, 30_000);

  it('gives a text the server refuses back to the composer, with the reason', async () => {
    const { context, page } = await widget.customerPage(CAREFUL);
    const errors = collectPageErrors(page);
    await page.goto(`${widget.host.url}/`);

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
