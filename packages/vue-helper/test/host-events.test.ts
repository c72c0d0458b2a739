import { effectScope } from 'vue';
import { describe, expect, it, vi } from 'vitest';
import type { HelperEventName } from '../src/index.js';
import { fakeServer, mountHelper, settle, showConversation } from './harness.js';

const NAMES: HelperEventName[] = ['ready', 'open', 'close', 'message', 'unread'];

/** Everything the host hears, through useHelper().on and through `window`. */
function listen(helper: Awaited<ReturnType<typeof mountHelper>>['helper']) {
  const heard: [string, unknown][] = [];
  const fromWindow: [string, unknown][] = [];
  for (const name of NAMES) {
    helper.on(name, (detail) => heard.push([name, detail]));
    const onWindow = (event: Event) => fromWindow.push([name, (event as CustomEvent).detail]);
    window.addEventListener(`helper:${name}`, onWindow);
  }
  return { heard, fromWindow };
}

describe('events for the host', () => {
  it('ready, open, close, message and unread, in order, the same on window', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [['customer', 'Hello?']]);
    const fromWindow: string[] = [];
    window.addEventListener('helper:ready', () => fromWindow.push('ready'));
    const { helper } = await mountHelper();
    const { heard, fromWindow: later } = listen(helper);

    helper.open();
    await settle();
    helper.close();
    const reply = server.chat.reply(conversation.id, 'Private words');
    await settle();

    expect(fromWindow).toEqual(['ready']);
    expect(heard).toEqual([
      ['open', { conversationId: null }],
      ['close', {}],
      ['message', { conversationId: conversation.id, messageId: reply.id }],
      ['unread', { count: 1 }],
    ]);
    expect(later).toEqual(heard);
    // Ids and counts only: no message text reaches other scripts on the page.
    expect(JSON.stringify(later)).not.toContain('Private words');
  });

  it('openConversation() says which conversation opened; reading it clears the count', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [['customer', 'Hello?']]);
    const { helper } = await mountHelper();
    server.chat.reply(conversation.id, 'Answer');
    await settle();
    const { heard } = listen(helper);

    await showConversation(helper, conversation.id);
    expect(heard).toEqual([
      ['open', { conversationId: conversation.id }],
      ['unread', { count: 0 }],
    ]);
  });

  it('ready comes again for a new visitor, not for a refresh', async () => {
    fakeServer();
    const ready = vi.fn();
    const { helper } = await mountHelper();
    helper.on('ready', ready);

    await helper.reset();
    expect(ready).toHaveBeenCalledTimes(1);
  });

  it('on() answers the function that stops it', async () => {
    fakeServer();
    const { helper } = await mountHelper();
    const opened = vi.fn();
    const off = helper.on('open', opened);

    off();
    helper.open();
    expect(opened).not.toHaveBeenCalled();
  });

  it('on() stops by itself when the effect scope it was called in ends', async () => {
    fakeServer();
    const { helper } = await mountHelper();
    const opened = vi.fn();
    const scope = effectScope();
    scope.run(() => helper.on('open', opened));

    scope.stop();
    helper.open();
    expect(opened).not.toHaveBeenCalled();
  });

  it('a handler that throws does not stop the widget or the other handlers', async () => {
    fakeServer();
    const { helper } = await mountHelper();
    // The widget rethrows a host handler's error on its own, as an uncaught error: caught here.
    const rethrown: unknown[] = [];
    vi.stubGlobal('queueMicrotask', (task: () => void) => {
      try {
        task();
      } catch (error) {
        rethrown.push(error);
      }
    });
    const second = vi.fn();
    helper.on('open', () => {
      throw new Error('host bug');
    });
    helper.on('open', second);

    helper.open();
    expect(second).toHaveBeenCalledTimes(1);
    expect(helper.isOpen.value).toBe(true);
    expect(rethrown).toEqual([new Error('host bug')]);
  });
});
