// The chat in a real browser: a customer writes in the widget, support staff answer
// through the staff endpoints, and the answer appears in the open widget without a reload.
import { describe, expect, it } from '@jest/globals';
import { artifactPath, collectPageErrors } from '../support/browser.js';
import { useWidgetHost } from '../support/widget-host.js';

const CUSTOMER = 'chatty@example.com';

describe('the chat in <HelperWidget>, against a real Nest app', () => {
  const widget = useWidgetHost({ customers: { [CUSTOMER]: 100 } });

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
});
