import { MESSAGE_MAX_LENGTH } from '@helperkit/core';
import { describe, expect, it } from 'vitest';
import {
  click,
  composer,
  fakeServer,
  mountHelper,
  openChat,
  panel,
  settle,
  showConversation,
  shownTexts,
  write,
} from './harness.js';

async function openEmptyChat() {
  const server = fakeServer();
  const { helper } = await mountHelper();
  await openChat(helper);
  return server;
}

const posted = (server: ReturnType<typeof fakeServer>) =>
  server.requests.filter(
    (request) => request.method === 'POST' && request.path !== '/widget/session',
  );

describe('composer', () => {
  it('is a labelled textarea', async () => {
    await openEmptyChat();
    expect(composer()!.tagName).toBe('TEXTAREA');
  });

  it('Enter sends the trimmed text and empties the field', async () => {
    const server = await openEmptyChat();
    const enter = await write('  Hello there \r\n');

    expect(enter.defaultPrevented).toBe(true);
    expect(posted(server)).toHaveLength(1);
    expect(posted(server)[0]!.body).toEqual({ body: 'Hello there', clientId: expect.any(String) });
    expect(composer()!.value).toBe('');
    expect(shownTexts()).toEqual(['Hello there']);
  });

  it('Shift+Enter inserts a new line instead of sending', async () => {
    const server = await openEmptyChat();
    const enter = await write('First line', { shiftKey: true });

    expect(enter.defaultPrevented).toBe(false); // the browser inserts the line break
    expect(posted(server)).toHaveLength(0);
    expect(composer()!.value).toBe('First line');
  });

  it('an Enter that confirms an IME composition does not send', async () => {
    const server = await openEmptyChat();
    await write('にほんご', { isComposing: true });
    await write('にほんご', { keyCode: 229 }); // Safari, right after compositionend

    expect(posted(server)).toHaveLength(0);
    expect(composer()!.value).toBe('にほんご');
  });

  it('the Send button sends too, keeping line breaks', async () => {
    const server = await openEmptyChat();
    composer()!.value = 'one\ntwo';
    composer()!.dispatchEvent(new Event('input'));
    await click('Send');

    expect(posted(server)[0]!.body).toMatchObject({ body: 'one\ntwo' });
  });

  it('a blank text is not sent: a hint shows and the field keeps it', async () => {
    const server = await openEmptyChat();
    await write('   \n ');

    expect(posted(server)).toHaveLength(0);
    expect(shownTexts()).toEqual([]);
    const alert = panel()!.querySelector('[role="alert"]')!;
    expect(alert.textContent!.trim()).toBe('Write a message first.');
    expect(composer()!.getAttribute('aria-invalid')).toBe('true');
    expect(composer()!.getAttribute('aria-describedby')).toBe(alert.id);
    expect(composer()!.value).toBe('   \n ');
  });

  it('the field takes no more characters than the server accepts', async () => {
    await openEmptyChat();
    expect(composer()!.maxLength).toBe(MESSAGE_MAX_LENGTH);
  });

  it.each([
    // Longer than the field takes: a host's prompt can be.
    ['x'.repeat(MESSAGE_MAX_LENGTH + 1), 'A message can have at most 10,000 characters.'],
    ['bell \u0007', 'The message contains characters that cannot be sent.'],
  ])(
    'a text the server refuses comes back to the field with its reason, in words: %#',
    async (text, reason) => {
      const server = await openEmptyChat();
      await write(text);

      expect(posted(server)).toHaveLength(1); // the server decided
      expect(shownTexts()).toEqual([]); // not left in the list as a message to retry
      const alert = panel()!.querySelector('[role="alert"]')!;
      expect(alert.textContent!.trim()).toBe(reason);
      expect(composer()!.getAttribute('aria-invalid')).toBe('true');
      expect(composer()!.getAttribute('aria-describedby')).toBe(alert.id);
      expect(composer()!.value).toBe(text); // kept, to be fixed

      composer()!.value = 'Fixed';
      composer()!.dispatchEvent(new Event('input'));
      await settle();
      expect(panel()!.querySelector('[role="alert"]')).toBeNull();
      await write('Fixed');
      expect(shownTexts()).toEqual(['Fixed']);
    },
  );

  /** Holds the answers to posted messages until the test calls the function answered. */
  function holdPostedMessages(server: ReturnType<typeof fakeServer>): () => void {
    let answer!: () => void;
    const held = new Promise<void>((resolve) => (answer = resolve));
    server.intercept = ({ method, path, body, authorization }) =>
      method === 'POST' && path.endsWith('/messages')
        ? held.then(() => server.chat.handle(method, path, body, authorization)!)
        : undefined;
    return answer;
  }

  const CONTROL_CHARACTERS = 'The message contains characters that cannot be sent.';

  it('a refused text in a started conversation comes back before what was written since', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [['customer', 'Hello']]);
    const { helper } = await mountHelper();
    await showConversation(helper, conversation.id);
    const answer = holdPostedMessages(server);
    await write('bell \u0007');
    composer()!.value = 'and more';
    composer()!.dispatchEvent(new Event('input'));
    answer();
    await settle();

    expect(shownTexts()).toEqual(['Hello']);
    expect(composer()!.value).toBe('bell \u0007\nand more');
    const alert = panel()!.querySelector('[role="alert"]')!;
    expect(alert.textContent!.trim()).toBe(CONTROL_CHARACTERS);
  });

  it('a refused text waits for its own conversation, not the one on screen', async () => {
    const server = fakeServer();
    const first = server.chat.addConversation({ subject: 'First' }, [['customer', 'Hello']]);
    const second = server.chat.addConversation({ subject: 'Second' }, [['customer', 'Hi']]);
    const { helper } = await mountHelper();
    await showConversation(helper, first.id);
    const answer = holdPostedMessages(server);
    await write('bell \u0007');
    await showConversation(helper, second.id);
    answer();
    await settle();

    expect(composer()!.value).toBe('');
    expect(panel()!.querySelector('[role="alert"]')).toBeNull();
    await showConversation(helper, first.id);
    expect(shownTexts()).toEqual(['Hello']);
    expect(composer()!.value).toBe('bell \u0007');
    expect(panel()!.querySelector('[role="alert"]')!.textContent!.trim()).toBe(CONTROL_CHARACTERS);
  });
});
