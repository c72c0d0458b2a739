import { describe, expect, it } from 'vitest';
import { composer, fakeServer, mountHelper, settle, shownTexts, write } from './harness.js';

describe('prompt', () => {
  it('open({ prompt }) opens a new conversation with the composer filled in, not sent', async () => {
    const server = fakeServer();
    server.chat.addConversation({}, [['customer', 'An older question']]);
    const { helper } = await mountHelper();

    helper.open({ prompt: 'Where is my order 1042?' });
    await settle();
    expect(composer()!.value).toBe('Where is my order 1042?');
    expect(shownTexts()).toEqual([]); // a new conversation, not the older one
    expect(server.chatRequests().filter((r) => r.startsWith('POST'))).toEqual([]);

    await write(composer()!.value);
    expect(server.chatRequests()).toContain('POST /conversations');
  });

  it('data-helper-prompt on a data-helper-toggle element does the same, even while open', async () => {
    fakeServer();
    const { helper } = await mountHelper();
    helper.open();
    await settle();
    const ask = document.createElement('button');
    ask.dataset.helperToggle = '';
    ask.dataset.helperPrompt = 'I want to return a parcel';
    document.body.append(ask);

    ask.click();
    await settle();
    expect(helper.isOpen.value).toBe(true);
    expect(composer()!.value).toBe('I want to return a parcel');
  });

  it('a blank prompt just opens the chat', async () => {
    fakeServer();
    const { helper } = await mountHelper();

    helper.open({ prompt: '   ' });
    await settle();
    expect(helper.isOpen.value).toBe(true);
    expect(composer()?.value ?? '').toBe('');
  });
});
