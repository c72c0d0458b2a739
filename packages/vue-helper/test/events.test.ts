import { nextTick } from 'vue';
import { describe, expect, it, vi } from 'vitest';
import { REOPEN_MIN_MS } from '../src/live.js';
import { REFRESH_MARGIN_MS } from '../src/attach.js';
import {
  ANN,
  HOUR,
  click,
  fakeServer,
  mountHelper,
  openChat,
  panel,
  settle,
  shownTexts,
  showConversation,
} from './harness.js';

const CLOSED = 2;

async function watchingConversation() {
  const server = fakeServer();
  const conversation = server.chat.addConversation({}, [['customer', 'Hello?']]);
  const mounted = await mountHelper();
  await showConversation(mounted.helper, conversation.id);
  return { server, conversation, ...mounted };
}

describe('live updates (server-sent events)', () => {
  it('one stream per session, with the token in the URL, starting fresh', async () => {
    const server = fakeServer();
    await mountHelper();

    expect(server.chat.streams).toHaveLength(1);
    expect(server.chat.stream().url).toBe('/helper/events?token=anonymous-token-1');
  });

  it('a staff reply shows up in the open conversation without reloading it', async () => {
    const { server, conversation } = await watchingConversation();
    const requests = server.requests.length;

    server.chat.reply(conversation.id, 'Hi! How can we help?');
    await settle();
    expect(shownTexts()).toEqual(['Hello?', 'Hi! How can we help?']);
    // Nothing reloaded: the one request is the read mark for the reply on screen.
    expect(server.requests.slice(requests).map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', `/conversations/${conversation.id}/read`, { upTo: server.chat.messages.at(-1)!.id }],
    ]);
  });

  it('a status change updates the list', async () => {
    const server = fakeServer();
    const conversation = server.chat.addConversation({}, [['customer', 'Thanks, bye']]);
    const { helper } = await mountHelper();
    await openChat(helper);
    expect(panel()!.querySelector('.helperkit-item')!.textContent).not.toContain('Closed');

    server.chat.publish({
      type: 'conversation',
      conversation: { ...conversation, status: 'closed' },
    });
    await settle();
    expect(panel()!.querySelector('.helperkit-item')!.textContent).toContain('Closed');
  });

  it('after the server ends the stream, a new one resumes after the last event seen', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { server, conversation } = await watchingConversation();
    server.chat.reply(conversation.id, 'First reply');
    await settle();
    const seen = server.chat.stream().lastEventId;

    server.chat.stream().drop();
    await settle();
    expect(panel()!.textContent).toContain('Reconnecting…');
    server.chat.reply(conversation.id, 'Sent while the stream was gone');
    await settle();
    expect(shownTexts()).not.toContain('Sent while the stream was gone');

    vi.advanceTimersByTime(REOPEN_MIN_MS);
    await settle();
    expect(server.chat.streams).toHaveLength(2);
    expect(server.chat.stream().url).toBe(
      `/helper/events?token=anonymous-token-1&lastEventId=${seen}`,
    );
    expect(shownTexts()).toEqual(['Hello?', 'First reply', 'Sent while the stream was gone']);
    expect(panel()!.textContent).not.toContain('Reconnecting…');
  });

  it('while the browser reconnects by itself, it says so, and nothing is missed', async () => {
    const { server, conversation } = await watchingConversation();

    server.chat.stream().interrupt();
    await settle();
    expect(panel()!.textContent).toContain('Reconnecting…');
    server.chat.reply(conversation.id, 'Sent during the blip');
    server.chat.stream().reconnect(); // with Last-Event-ID
    await settle();

    expect(server.chat.streams).toHaveLength(1);
    expect(shownTexts()).toEqual(['Hello?', 'Sent during the blip']);
    expect(panel()!.textContent).not.toContain('Reconnecting…');
  });

  it('a stream refused for an expired token gets a new session and resumes with it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { server, conversation } = await watchingConversation();
    const seen = server.chat.stream().lastEventId;
    server.expireSessions();

    server.chat.stream().drop(); // the proxy cut it; the reconnection meets a 401
    server.chat.reply(conversation.id, 'Meanwhile');
    await settle();
    expect(server.sessionRequests()).toHaveLength(2);
    expect(server.chat.stream().url).toBe(
      `/helper/events?token=anonymous-token-2&lastEventId=${seen}`,
    );
    expect(shownTexts()).toEqual(['Hello?', 'Meanwhile']);
    vi.advanceTimersByTime(10 * REOPEN_MIN_MS);
    await settle();
    expect(server.chat.streams).toHaveLength(2); // the pending reopen was dropped
  });

  it('a stream the server ends as `expired` gets a new session and resumes with it', async () => {
    const { server, conversation } = await watchingConversation();
    const seen = server.chat.stream().lastEventId;
    server.expireSessions();

    server.chat.stream().dispatchEvent(new MessageEvent('expired', { data: '{}' }));
    server.chat.reply(conversation.id, 'After the refresh');
    await settle();
    expect(server.sessionRequests()).toHaveLength(2);
    expect(server.chat.stream().url).toBe(
      `/helper/events?token=anonymous-token-2&lastEventId=${seen}`,
    );
    expect(shownTexts()).toEqual(['Hello?', 'After the refresh']);
  });

  it('a stream `replaced` by a newer tab stays closed instead of taking the place back', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { server } = await watchingConversation();
    const stream = server.chat.stream();

    stream.dispatchEvent(new MessageEvent('replaced', { data: '{}' }));
    vi.advanceTimersByTime(10 * REOPEN_MIN_MS);
    await settle();
    expect(stream.readyState).toBe(CLOSED);
    expect(server.chat.streams).toHaveLength(1);
  });

  it('a session refresh reopens the stream with the new token, resuming', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const server = fakeServer();
    server.lifetimeMs = HOUR;
    await mountHelper();
    const first = server.chat.stream();
    const seen = first.lastEventId;

    vi.advanceTimersByTime(HOUR - REFRESH_MARGIN_MS);
    await settle();
    expect(first.readyState).toBe(CLOSED);
    expect(server.chat.streams).toHaveLength(2);
    expect(server.chat.stream().url).toBe(
      `/helper/events?token=anonymous-token-2&lastEventId=${seen}`,
    );
  });

  it('is closed on app unmount', async () => {
    const server = fakeServer();
    const { wrapper } = await mountHelper();

    wrapper.unmount();
    expect(server.chat.stream().readyState).toBe(CLOSED);
    expect(server.chat.streams).toHaveLength(1);
  });

  it('reset() closes it and forgets the conversations; the next visitor starts fresh', async () => {
    const { server, helper } = await watchingConversation();
    const first = server.chat.stream();

    const reset = helper.reset();
    expect(first.readyState).toBe(CLOSED);
    await nextTick(); // before the new session answers
    expect(shownTexts()).toEqual([]);
    await reset;
    await settle();
    expect(server.chat.stream().url).toBe('/helper/events?token=anonymous-token-2');
    // The new visitor's own list, asked for with their token (the fake server has one customer).
    const lastList = server.requests.filter((r) => r.path === '/conversations').at(-1);
    expect(lastList!.authorization).toBe('Bearer anonymous-token-2');
    expect(shownTexts()).toEqual([]); // back at the list, not in the previous conversation
  });

  it('identify() opens a new stream for the customer, without the previous position', async () => {
    const { server, helper } = await watchingConversation();
    const first = server.chat.stream();

    await helper.identify(ANN);
    await settle();
    expect(first.readyState).toBe(CLOSED);
    expect(server.chat.stream().url).toBe('/helper/events?token=customer-token-2');
    expect(helper.unreadCount.value).toBe(0);
  });

  it('a new stream (here: each session without EventSource) reloads what shows, gaps included', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const server = fakeServer();
    vi.stubGlobal('EventSource', undefined);
    server.lifetimeMs = HOUR;
    server.chat.pageSize = 2;
    const conversation = server.chat.addConversation({}, [
      ['customer', 'one'],
      ['staff', 'two'],
    ]);
    const { helper } = await mountHelper();
    await showConversation(helper, conversation.id);
    expect(shownTexts()).toEqual(['one', 'two']);
    for (const body of ['three', 'four', 'five'])
      server.chat.addMessage(conversation.id, 'staff', body);

    vi.advanceTimersByTime(HOUR - REFRESH_MARGIN_MS); // a new session, so a new "stream"
    await settle();
    // More than a page came: what shows starts over from the newest page, and pages back.
    expect(shownTexts()).toEqual(['four', 'five']);
    await click('Load earlier messages');
    await click('Load earlier messages');
    expect(shownTexts()).toEqual(['one', 'two', 'three', 'four', 'five']);
  });

  it('without EventSource, the chat still loads (without live updates)', async () => {
    const server = fakeServer();
    vi.stubGlobal('EventSource', undefined);
    server.chat.addConversation({}, [['staff', 'Welcome back']]);
    const { helper } = await mountHelper();
    await openChat(helper);

    expect(panel()!.querySelector('.helperkit-item')!.textContent).toContain('Welcome back');
  });
});
