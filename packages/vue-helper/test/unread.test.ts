import { describe, expect, it } from 'vitest';
import {
  click,
  fakeServer,
  mountHelper,
  openChat,
  settle,
  toggleButton,
  write,
  showConversation,
} from './harness.js';

const badge = () => toggleButton()?.querySelector('.helperkit-badge')?.textContent?.trim() ?? null;

describe('unread badge', () => {
  it('counts staff replies while the panel is closed, and clears once the conversation is viewed', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [['customer', 'Is it in stock?']]);
    const { helper } = await mountHelper();
    expect(toggleButton()!.getAttribute('aria-label')).toBe('Open Support chat');
    expect(badge()).toBeNull();

    server.chat.reply(conversation.id, 'Yes, 3 left.');
    server.chat.reply(conversation.id, 'Shall I reserve one?');
    await settle();
    expect(toggleButton()!.getAttribute('aria-label')).toBe('Open Support chat, 2 unread');
    expect(badge()).toBe('2');
    expect(helper.unreadCount.value).toBe(2);

    // The list shows which conversation has them; only viewing it reads them.
    await openChat(helper);
    const item = document.querySelector('.helperkit-item')!;
    expect(item.textContent).toContain('2 new');
    expect(helper.unreadCount.value).toBe(2);

    (item as HTMLElement).click();
    await settle();
    expect(helper.unreadCount.value).toBe(0);
    helper.close();
    await settle();
    expect(toggleButton()!.getAttribute('aria-label')).toBe('Open Support chat');
    expect(badge()).toBeNull();
  });

  it('counts replies in another conversation than the one shown, not in the one shown', async () => {
    const server = fakeServer();
    const first = server.chat.addConversation({}, [['customer', 'First']]);
    const second = server.chat.addConversation({}, [['customer', 'Second']]);
    const { helper } = await mountHelper();
    await showConversation(helper, first.id);

    server.chat.reply(first.id, 'About the first');
    server.chat.reply(second.id, 'About the second');
    await settle();
    expect(helper.unreadCount.value).toBe(1);
    await click('All conversations');
    const items = [...document.querySelectorAll('.helperkit-item')].map((i) => i.textContent);
    expect(items.filter((text) => text!.includes('1 new'))).toEqual([
      expect.stringContaining('About the second'),
    ]);
  });

  it("the customer's own messages never count", async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [['staff', 'Hi!']]);
    const { helper } = await mountHelper();
    await showConversation(helper, conversation.id);
    await write('Mine');
    helper.close();
    server.chat.publishMessage(
      server.chat.addMessage(conversation.id, 'customer', 'From my phone'),
    );
    await settle();

    expect(helper.unreadCount.value).toBe(0);
    expect(badge()).toBeNull();
  });

  it('shows 99+ past 99', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation();
    const { helper } = await mountHelper();
    for (let n = 0; n < 120; n++) server.chat.reply(conversation.id, `Reply ${n}`);
    await settle();

    expect(helper.unreadCount.value).toBe(120);
    expect(badge()).toBe('99+');
    expect(toggleButton()!.getAttribute('aria-label')).toBe('Open Support chat, 120 unread');
  });
});
