import { describe, expect, it, vi } from 'vitest';
import {
  byText,
  click,
  composer,
  fakeServer,
  json,
  mountHelper,
  openChat,
  settle,
  shownMessages,
  shownTexts,
  write,
  type RecordedRequest,
  showConversation,
} from './harness.js';

type Server = ReturnType<typeof fakeServer>;

/** Holds back the server's handling of matching requests until the test lets each go. */
function holdRequests(server: Server, matches: (request: RecordedRequest) => boolean) {
  const held: (() => void)[] = [];
  server.intercept = (request) => {
    if (!matches(request)) return undefined;
    return new Promise((resolve) =>
      held.push(() =>
        resolve(
          server.chat.handle(request.method, request.path, request.body, request.authorization)!,
        ),
      ),
    );
  };
  return held;
}

const isPost = (request: RecordedRequest) =>
  request.method === 'POST' &&
  request.path.startsWith('/conversations') &&
  // Typing notices and read marks go out beside the messages; these tests hold messages only.
  !/\/(typing|read)$/.test(request.path);

/** An open conversation with one staff message, shown in the panel. */
async function inConversation() {
  const server = fakeServer();
  const conversation = server.chat.addConversation({}, [['staff', 'How can we help?']]);
  const { helper } = await mountHelper();
  await showConversation(helper, conversation.id);
  return { server, helper, conversation };
}

const clientIdsPosted = (server: Server) =>
  server.requests.filter(isPost).map((request) => request.body?.clientId);

describe('sending a message', () => {
  it('shows it at once as sending, then as sent, once, when the live event comes first', async () => {
    const { server } = await inConversation();
    const held = holdRequests(server, isPost);

    await write('Where is my parcel?');
    expect(shownMessages().at(-1)).toEqual({ text: 'Where is my parcel?', status: 'Sending…' });

    held[0]!(); // the server stores it, publishes the event, then answers
    await settle();
    expect(shownTexts()).toEqual(['How can we help?', 'Where is my parcel?']);
    expect(shownMessages().at(-1)!.status).not.toContain('Sending');
    expect(server.chat.messages).toHaveLength(2);
  });

  it('shows it once when the answer comes before the live event', async () => {
    const { server } = await inConversation();
    server.chat.echoOwnMessages = false;

    await write('Where is my parcel?');
    expect(shownTexts()).toEqual(['How can we help?', 'Where is my parcel?']);
    server.chat.publishMessage(server.chat.messages.at(-1)!); // the event, late
    await settle();
    expect(shownTexts()).toEqual(['How can we help?', 'Where is my parcel?']);
  });

  it('a failed send shows "Not sent" with Retry, which resends with the same clientId', async () => {
    const { server } = await inConversation();
    server.chat.echoOwnMessages = false;
    // The server stores the message but the answer is lost on the way back.
    server.intercept = (request) => {
      if (!isPost(request)) return undefined;
      server.intercept = () => undefined;
      server.chat.handle(request.method, request.path, request.body, request.authorization);
      return Promise.reject(new TypeError('Failed to fetch'));
    };

    await write('First try');
    expect(shownMessages().at(-1)!.text).toBe('First try');
    expect(shownMessages().at(-1)!.status).toMatch(
      /^Not sent: Could not reach .*Failed to fetch.* Retry$/,
    );

    // The composer keeps working meanwhile; the unsent message stays last.
    await write('Another one');
    expect(shownTexts()).toEqual(['How can we help?', 'Another one', 'First try']);
    expect(shownMessages()[1]!.status).not.toMatch(/Sending|Not sent/);

    await click('Retry');
    const [first, second, retried] = clientIdsPosted(server);
    expect(retried).toBe(first);
    expect(second).not.toBe(first);
    expect(shownTexts()).toEqual(['How can we help?', 'First try', 'Another one']);
    expect(shownMessages().every((message) => !/Sending|Not sent/.test(message.status))).toBe(true);
    // Stored once, whatever the client saw.
    expect(server.chat.messages.map((message) => message.body)).toEqual([
      'How can we help?',
      'First try',
      'Another one',
    ]);
  });

  it('a 429 says how long to wait', async () => {
    const { server, helper } = await inConversation();
    server.intercept = (request) =>
      isPost(request)
        ? new Response(
            JSON.stringify({
              statusCode: 429,
              code: 'too_many_requests',
              message: 'Too many messages: wait a moment and try again.',
            }),
            { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '20' } },
          )
        : undefined;

    await write('Spam?');
    expect(shownMessages().at(-1)!.status).toBe(
      'Not sent: Too many messages: wait a moment and try again. Try again in 20 seconds. Retry',
    );
    expect(helper.error.value).toMatchObject({ kind: 'chat', statusCode: 429, retryAfter: 20 });
  });

  it('after a 401 it starts a new session and sends again, once', async () => {
    const { server } = await inConversation();
    server.expireSessions();

    await write('Still there?');
    // The default identity is asked for again too (GET /widget/identity), left out here.
    const after = server.requests.filter((r) => r.path !== '/widget/identity').slice(-3);
    expect(after.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /conversations/conv-1/messages',
      'POST /widget/session',
      'POST /conversations/conv-1/messages',
    ]);
    expect(after[0]!.authorization).toBe('Bearer anonymous-token-1');
    expect(after[1]!.body).toEqual({ currentToken: 'anonymous-token-1' });
    expect(after[2]!.authorization).toBe('Bearer anonymous-token-2');
    expect(after[2]!.body).toEqual(after[0]!.body);
    expect(shownMessages().at(-1)!.status).not.toMatch(/Sending|Not sent/);
  });

  it('uses a random clientId of one form, also where crypto.randomUUID is missing (plain HTTP)', async () => {
    const { server } = await inConversation();
    await write('From an https: page');
    vi.stubGlobal('crypto', { getRandomValues: crypto.getRandomValues.bind(crypto) });
    await write('From an http: page');
    const [first, second] = clientIdsPosted(server);
    expect(first).toMatch(/^\d{1,10}(-\d{1,10}){3}$/);
    expect(second).toMatch(/^\d{1,10}(-\d{1,10}){3}$/);
    expect(second).not.toBe(first);
  });
});

describe('starting a conversation', () => {
  it('the first message starts one, the next ones go into it', async () => {
    const server = fakeServer();
    const { helper } = await mountHelper();
    await openChat(helper);

    composer()!.focus();
    await write('Hello!');
    await write('Anyone there?');
    expect(server.chatRequests()).toEqual([
      'GET /conversations',
      'POST /conversations',
      // Typing the second message: support hears of it once the conversation exists.
      'POST /conversations/conv-1/typing',
      'POST /conversations/conv-1/messages',
    ]);
    expect(shownTexts()).toEqual(['Hello!', 'Anyone there?']);
    expect(byText('All conversations')).not.toBeNull();
    // The draft became the conversation in place: the composer kept its focus.
    expect(document.activeElement).toBe(composer());
  });

  it('messages written while it starts wait for it, so only one conversation starts', async () => {
    const server = fakeServer();
    const { helper } = await mountHelper();
    await openChat(helper);
    const held = holdRequests(
      server,
      (request) => request.path === '/conversations' && request.method === 'POST',
    );

    await write('one');
    await write('two');
    expect(shownMessages().map((m) => m.status)).toEqual(['Sending…', 'Sending…']);
    server.intercept = () => undefined;
    held[0]!();
    await settle();
    expect(server.chatRequests().slice(1)).toEqual([
      'POST /conversations',
      'POST /conversations/conv-1/messages',
    ]);
    expect(shownTexts()).toEqual(['one', 'two']);
    expect(server.chat.conversations).toHaveLength(1);
  });

  it('a failed start can be retried with the same clientId', async () => {
    const server = fakeServer();
    const { helper } = await mountHelper();
    await openChat(helper);
    server.intercept = (request) =>
      request.path === '/conversations' && request.method === 'POST'
        ? json(503, { statusCode: 503, code: 'unavailable', message: 'Down for a moment.' })
        : undefined;

    await write('Hello!');
    expect(shownMessages()).toEqual([
      { text: 'Hello!', status: 'Not sent: Down for a moment. Retry' },
    ]);
    server.intercept = () => undefined;
    await click('Retry');
    const [first, retried] = clientIdsPosted(server);
    expect(retried).toBe(first);
    expect(server.chat.conversations).toHaveLength(1);
    expect(shownMessages()[0]!.status).not.toMatch(/Sending|Not sent/);
  });
});
