import { MESSAGE_MAX_LENGTH } from '@helperkit/core';
import { describe, expect, it } from 'vitest';
import {
  byText,
  click,
  composer,
  fakeServer,
  mountHelper,
  openChat,
  panel,
  settle,
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

  it.each([
    ['   \n ', 'Write a message first.'],
    ['x'.repeat(MESSAGE_MAX_LENGTH + 1), 'A message can have at most 10,000 characters.'],
    ['bell \u0007', 'The message contains characters that cannot be sent.'],
  ])('invalid text is not sent, and core’s reason shows, in words: %#', async (text, reason) => {
    const server = await openEmptyChat();
    await write(text);

    expect(posted(server)).toHaveLength(0);
    expect(shownTexts()).toEqual([]);
    const alert = panel()!.querySelector('[role="alert"]')!;
    expect(alert.textContent!.trim()).toBe(reason);
    expect(composer()!.getAttribute('aria-invalid')).toBe('true');
    expect(composer()!.getAttribute('aria-describedby')).toBe(alert.id);
    expect(composer()!.value).toBe(text); // kept, to be fixed

    composer()!.value = 'Fixed';
    composer()!.dispatchEvent(new Event('input'));
    await settle();
    expect(panel()!.querySelector('[role="alert"]')).toBeNull();
    expect(byText('Send')).not.toBeNull();
  });
});
