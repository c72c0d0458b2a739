import { describe, expect, it } from 'vitest';
import {
  apiError,
  byText,
  click,
  composer,
  fakeServer,
  messageLog,
  mountHelper,
  openChat,
  panel,
  settle,
  shownTexts,
  showConversation,
} from './harness.js';

const listedTitles = () =>
  [...document.querySelectorAll('[aria-label="Conversations"] .helperkit-item-title')].map((t) =>
    t.textContent!.trim(),
  );

describe('conversation list', () => {
  it('lists the conversations, latest activity first, by subject or last message', async () => {
    const server = fakeServer();
    server.chat.addConversation({}, [['customer', 'Can I change my plan?']]);
    server.chat.addConversation({ subject: 'Order #42', origin: 'email' }, [
      ['customer', 'Where is my order?'],
      ['staff', 'It shipped today.'],
    ]);
    const { helper } = await mountHelper();
    await openChat(helper);

    expect(listedTitles()).toEqual(['Order #42', 'Can I change my plan?']);
    expect(panel()!.textContent).toContain('It shipped today.');
    expect(byText('New conversation')).not.toBeNull();
  });

  it('is loaded once with the panel chunk (for the unread count), and not again on open', async () => {
    const server = fakeServer();
    const { helper } = await mountHelper();
    expect(helper.isOpen.value).toBe(false);
    expect(server.chatRequests()).toEqual(['GET /conversations']);

    await openChat(helper);
    expect(server.chatRequests()).toEqual(['GET /conversations']);
  });

  it('shows a loading state until the list arrives', async () => {
    const server = fakeServer();
    server.chat.addConversation({}, [['customer', 'Hello?']]);
    let answer: () => void = () => undefined;
    server.intercept = (request) =>
      request.path === '/conversations'
        ? new Promise(
            (resolve) =>
              (answer = () =>
                resolve(
                  server.chat.handle('GET', request.path, undefined, request.authorization)!,
                )),
          )
        : undefined;
    const { helper } = await mountHelper();
    await openChat(helper);

    expect(panel()!.textContent).toContain('Loading conversations…');
    answer();
    await settle();
    expect(panel()!.textContent).not.toContain('Loading conversations…');
    expect(listedTitles()).toEqual(['Hello?']);
  });

  it('shows an error with a retry', async () => {
    const server = fakeServer();
    server.chat.addConversation({}, [['customer', 'Hello?']]);
    server.intercept = (request) =>
      request.path === '/conversations'
        ? apiError({ statusCode: 503, code: 'unavailable', message: 'The service is down.' })
        : undefined;
    const { helper } = await mountHelper();
    await openChat(helper);

    expect(panel()!.querySelector('[role="alert"]')!.textContent).toContain('The service is down.');
    expect(helper.error.value).toMatchObject({ kind: 'chat', code: 'unavailable' });
    server.intercept = () => undefined;
    await click('Try again');
    expect(listedTitles()).toEqual(['Hello?']);
    expect(helper.error.value).toBeNull();
  });

  it('without conversations, the panel invites the first message', async () => {
    fakeServer();
    const { helper } = await mountHelper();
    await openChat(helper);

    expect(panel()!.textContent).toContain('No messages yet: ask us anything');
    expect(composer()).not.toBeNull();
    expect(byText('All conversations')).toBeNull(); // nothing to go back to
  });

  it('"New conversation" opens an empty one, and "All conversations" goes back', async () => {
    const server = fakeServer();
    server.chat.addConversation({}, [['customer', 'Hello?']]);
    const { helper } = await mountHelper();
    await openChat(helper);

    byText('New conversation')!.focus();
    await click('New conversation');
    expect(panel()!.textContent).toContain('No messages yet: ask us anything');
    expect(document.activeElement).toBe(composer()); // the clicked button is gone: focus moves on

    byText('All conversations')!.focus();
    await click('All conversations');
    expect(listedTitles()).toEqual(['Hello?']);
    expect(document.activeElement).toBe(byText('New conversation'));
  });
});

describe('message view', () => {
  it('opening a conversation loads its messages into a polite log, with times', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({ subject: 'Order #42' }, [
      ['customer', 'Where is my order?'],
      ['staff', 'It shipped today.'],
    ]);
    const { helper } = await mountHelper();
    await openChat(helper);
    listItem('Order #42')!.click();
    await settle();

    expect(server.chatRequests()).toContain(`GET /conversations/${conversation.id}/messages`);
    const log = messageLog()!;
    expect(log.getAttribute('aria-live')).toBe('polite');
    expect(shownTexts()).toEqual(['Where is my order?', 'It shipped today.']);
    const times = [...log.querySelectorAll('time')].map((time) => time.getAttribute('datetime'));
    expect(times).toEqual(server.chat.messages.map((message) => message.createdAt));
    expect(log.textContent).toContain('Support:'); // who wrote what, for screen readers too
  });

  it('"Load earlier messages" pages back until the start', async () => {
    const server = fakeServer();
    server.chat.pageSize = 2;
    const conversation = server.chat.addConversation({}, [
      ['customer', 'one'],
      ['staff', 'two'],
      ['customer', 'three'],
      ['staff', 'four'],
      ['customer', 'five'],
    ]);
    const { helper } = await mountHelper();
    await showConversation(helper, conversation.id);
    expect(shownTexts()).toEqual(['four', 'five']);

    await click('Load earlier messages');
    expect(shownTexts()).toEqual(['two', 'three', 'four', 'five']);
    await click('Load earlier messages');
    expect(shownTexts()).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(byText('Load earlier messages')).toBeNull();
    expect(server.chatRequests().slice(-2)).toEqual([
      `GET /conversations/${conversation.id}/messages?before=4`,
      `GET /conversations/${conversation.id}/messages?before=2`,
    ]);
  });

  it('a conversation that fails to load shows the error and a retry', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [['staff', 'Hi there']]);
    server.intercept = (request) =>
      request.path.endsWith('/messages')
        ? Promise.reject(new TypeError('Failed to fetch'))
        : undefined;
    const { helper } = await mountHelper();
    await showConversation(helper, conversation.id);

    expect(panel()!.querySelector('[role="alert"]')!.textContent).toContain('Failed to fetch');
    server.intercept = () => undefined;
    await click('Try again');
    expect(shownTexts()).toEqual(['Hi there']);
  });

  it('shows a message as text, never as HTML, with its line breaks', async () => {
    const server = fakeServer();
    const body = '<img src=x onerror=alert(1)>\n<b>second line</b>';
    const conversation = server.chat.addConversation({}, [['staff', body]]);
    const { helper } = await mountHelper();
    await showConversation(helper, conversation.id);

    expect(shownTexts()).toEqual([body]);
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('b')).toBeNull();
  });

  it('says when a conversation is closed, and where it came from', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({ status: 'closed', origin: 'email' }, [
      ['customer', 'By mail'],
    ]);
    const { helper } = await mountHelper();
    await openChat(helper);
    expect(listItem('By mail')!.textContent).toContain('Closed');

    await showConversation(helper, conversation.id);
    expect(panel()!.textContent).toContain(
      'This conversation is closed. Writing again reopens it.',
    );
    expect(messageLog()!.textContent).toContain('by email');
  });
});

/** The list's button for the conversation with this title. */
const listItem = (title: string) =>
  [...document.querySelectorAll<HTMLElement>('.helperkit-item')].find(
    (button) => button.querySelector('.helperkit-item-title')!.textContent!.trim() === title,
  );
