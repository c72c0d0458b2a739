import { describe, expect, it, vi } from 'vitest';
import { TYPING_SEND_INTERVAL_MS, TYPING_SHOWN_MS } from '../src/activity.js';
import {
  apiError,
  byText,
  click,
  composer,
  fakeServer,
  mountHelper,
  panel,
  settle,
  showConversation,
  toggleButton,
} from './harness.js';

const badge = () => toggleButton()?.querySelector('.helperkit-badge')?.textContent?.trim() ?? null;
const typingLine = () => document.querySelector<HTMLElement>('.helperkit-typing');
const ratingForm = () => document.querySelector<HTMLFormElement>('.helperkit-rating');
const typed = (text: string) => {
  const field = composer()!;
  field.value = text;
  field.dispatchEvent(new Event('input'));
};

describe('read state', () => {
  it('takes the unread count from the server, so the badge survives a reload', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [
      ['customer', 'Is it in stock?'],
      ['staff', 'Yes, 3 left.'],
      ['staff', 'Shall I reserve one?'],
    ]);
    // A fresh page: no live event arrived here, the count comes with the list.
    const first = await mountHelper();
    expect(first.helper.unreadCount.value).toBe(2);
    expect(badge()).toBe('2');

    await showConversation(first.helper, conversation.id);
    const newest = server.chat.messages.at(-1)!.id;
    expect(server.requests.filter((r) => r.path.endsWith('/read')).map((r) => r.body)).toEqual([
      { upTo: newest },
    ]);
    expect(first.helper.unreadCount.value).toBe(0);
    first.wrapper.unmount();

    // Reloaded: the server remembers what was read.
    const second = await mountHelper();
    expect(second.helper.unreadCount.value).toBe(0);
    expect(badge()).toBeNull();
    // A harness limit, not a speed check: the file's first mount transforms the chunks cold.
  }, 20_000);

  it('counts live replies on top of the server’s count while the panel is closed', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [
      ['customer', 'Hello'],
      ['staff', 'Hi'],
    ]);
    const { helper } = await mountHelper();
    expect(helper.unreadCount.value).toBe(1);
    server.chat.reply(conversation.id, 'Still there?');
    await settle();
    expect(helper.unreadCount.value).toBe(2);
    expect(server.requests.some((r) => r.path.endsWith('/read'))).toBe(false);
  });

  it('does not count a reply twice when the list already had it before its live event', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [['customer', 'Hello']]);
    // Stored, and in the list the widget loads, while its event is still on its way.
    const reply = server.chat.addMessage(conversation.id, 'staff', 'Hi there');
    const { helper } = await mountHelper();
    expect(helper.unreadCount.value).toBe(1);
    server.chat.publishMessage(reply);
    await settle();
    expect(helper.unreadCount.value).toBe(1);
  });

  it('clears a conversation read in another tab (a read event of the customer)', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [['staff', 'News for you']]);
    const { helper } = await mountHelper();
    expect(helper.unreadCount.value).toBe(1);
    server.chat.publish({
      type: 'read',
      conversation: { ...conversation },
      side: 'customer',
      lastReadId: server.chat.messages.at(-1)!.id,
    } as never);
    await settle();
    expect(helper.unreadCount.value).toBe(0);
  });
});

describe('typing', () => {
  it('shows "Support is typing…" in a polite live region, and ends it by itself after 6 s', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [['customer', 'Hello?']]);
    const { helper } = await mountHelper();
    await showConversation(helper, conversation.id);
    expect(typingLine()!.getAttribute('aria-live')).toBe('polite');
    expect(typingLine()!.textContent!.trim()).toBe('');

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const staffTyping = { type: 'typing', conversationId: conversation.id, side: 'staff' };
    server.chat.publishUnstored(staffTyping);
    await settle();
    expect(typingLine()!.textContent!.trim()).toBe('Support is typing…');

    // Another notice keeps it up for 6 s more.
    vi.advanceTimersByTime(TYPING_SHOWN_MS - 1000);
    server.chat.publishUnstored(staffTyping);
    await settle();
    vi.advanceTimersByTime(TYPING_SHOWN_MS - 1000);
    await settle();
    expect(typingLine()!.textContent!.trim()).toBe('Support is typing…');
    vi.advanceTimersByTime(1000);
    await settle();
    expect(typingLine()!.textContent!.trim()).toBe('');
  });

  it('ends when the reply arrives, and ignores the customer’s own typing and other conversations', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [['customer', 'Hello?']]);
    const other = server.chat.addConversation({}, [['customer', 'Other']]);
    const { helper } = await mountHelper();
    await showConversation(helper, conversation.id);

    server.chat.publishUnstored({ type: 'typing', conversationId: other.id, side: 'staff' });
    server.chat.publishUnstored({
      type: 'typing',
      conversationId: conversation.id,
      side: 'customer',
    });
    await settle();
    expect(typingLine()!.textContent!.trim()).toBe('');

    server.chat.publishUnstored({ type: 'typing', conversationId: conversation.id, side: 'staff' });
    await settle();
    expect(typingLine()!.textContent!.trim()).toBe('Support is typing…');
    server.chat.reply(conversation.id, 'Here I am');
    await settle();
    expect(typingLine()!.textContent!.trim()).toBe('');
  });

  it('tells support the customer is typing, at most once every 3 s', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [['customer', 'Hello?']]);
    const { helper } = await mountHelper();
    await showConversation(helper, conversation.id);
    vi.useFakeTimers({ toFake: ['Date'] });
    const notices = () => server.requests.filter((r) => r.path.endsWith('/typing')).length;

    typed('W');
    typed('Wh');
    typed('Whe');
    await settle();
    expect(notices()).toBe(1);
    vi.advanceTimersByTime(TYPING_SEND_INTERVAL_MS - 1);
    typed('Wher');
    await settle();
    expect(notices()).toBe(1);
    vi.advanceTimersByTime(1);
    typed('Where');
    await settle();
    expect(notices()).toBe(2);
    // Clearing the field is not typing.
    vi.advanceTimersByTime(TYPING_SEND_INTERVAL_MS);
    typed('   ');
    await settle();
    expect(notices()).toBe(2);
  });

  it('says nothing while the first message of a new conversation is being written', async () => {
    const server = fakeServer();
    const { helper } = await mountHelper();
    helper.open();
    await settle();
    typed('Hello');
    await settle();
    expect(server.requests.some((r) => r.path.endsWith('/typing'))).toBe(false);
  });

  it('is translated in every catalogue, Arabic included', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [['customer', 'مرحبا']]);
    const { helper } = await mountHelper({ locale: 'ar' });
    await showConversation(helper, conversation.id);
    server.chat.publishUnstored({ type: 'typing', conversationId: conversation.id, side: 'staff' });
    await settle();
    expect(typingLine()!.textContent!.trim()).toBe('فريق الدعم يكتب الآن…');
  });
});

describe('rating', () => {
  it('is offered once a conversation is closed, taken once, and not offered again after a reload', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({ status: 'closed' }, [
      ['customer', 'Thanks!'],
    ]);
    const open = server.chat.addConversation({}, [['customer', 'Still open']]);
    const first = await mountHelper();
    await showConversation(first.helper, open.id);
    expect(ratingForm()).toBeNull();
    await showConversation(first.helper, conversation.id);
    const form = ratingForm()!;
    expect(form.querySelector('legend')!.textContent).toBe('How was this conversation?');

    // Sending without a choice says what is missing.
    await click('Send rating');
    expect(form.querySelector('[role="alert"]')!.textContent).toBe('Choose good or bad first.');
    expect(server.requests.some((r) => r.path.endsWith('/rating'))).toBe(false);

    form.querySelector<HTMLInputElement>('input[value="good"]')!.click();
    const comment = form.querySelector<HTMLTextAreaElement>('textarea')!;
    expect(document.querySelector(`label[for="${comment.id}"]`)!.textContent).toBe(
      'Comment (optional)',
    );
    comment.value = '  Quick answer. ';
    comment.dispatchEvent(new Event('input'));
    await click('Send rating');
    expect(server.requests.filter((r) => r.path.endsWith('/rating')).map((r) => r.body)).toEqual([
      { rating: 'good', comment: 'Quick answer.' },
    ]);
    expect(ratingForm()).toBeNull();
    expect(panel()!.querySelector('[role="status"]')!.textContent).toBe(
      'Thank you for your feedback.',
    );
    first.wrapper.unmount();

    const second = await mountHelper();
    await showConversation(second.helper, conversation.id);
    expect(ratingForm()).toBeNull();
    expect(panel()!.textContent).toContain('Thank you for your feedback.');
  });

  it('shows the server’s refusal, and keeps the form for another try', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({ status: 'closed' }, [['customer', 'Bye']]);
    server.intercept = (request) =>
      request.path.endsWith('/rating')
        ? apiError({ statusCode: 503, code: 'unavailable', message: 'The service is down.' })
        : undefined;
    const { helper } = await mountHelper();
    await showConversation(helper, conversation.id);
    ratingForm()!.querySelector<HTMLInputElement>('input[value="bad"]')!.click();
    await click('Send rating');
    expect(ratingForm()!.querySelector('[role="alert"]')!.textContent).toBe('The service is down.');
    expect(byText('Send rating')).not.toBeNull();
    expect(server.chat.ratings[conversation.id]).toBeUndefined();
  });
});
