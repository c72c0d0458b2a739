import {
  messageBodyRule,
  type ConversationSummary,
  type ConversationView,
  type HelperEventData,
  type MessageAuthor,
  type MessagePage,
  type MessageView,
} from '@helperkit/core';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
/** The server's answer to a message body that core's rule refuses, as the Nest module words it. */
function refusedBody(body: unknown): Response | undefined {
  const check = messageBodyRule(body);
  if (check.ok) return undefined;
  const field = { field: 'body', code: check.code, message: check.message };
  const message = 'The request is not valid.';
  return json(400, { statusCode: 400, code: 'validation_failed', message, fields: [field] });
}
const notFound = () =>
  json(404, { statusCode: 404, code: 'not_found', message: 'The conversation was not found.' });

type StoredEvent = { id: number; data: HelperEventData };

/**
 * The conversations side of the fake helperkit server: the customer endpoints, stored events and
 * an `EventSource` stand-in that connects to them like `GET /events` (ready, replay, live).
 * Everything belongs to one customer; tokens are checked with `isValidToken`.
 */
export function fakeChat(isValidToken: (token: string) => boolean) {
  let clock = 0;
  let lastMessageId = 0;
  let lastEventId = 0;
  const events: StoredEvent[] = [];
  // Every stored time is a second later than the one before: orders are stable, times valid.
  const now = () => new Date(Date.UTC(2026, 0, 1, 9, 0, ++clock)).toISOString();

  const chat = {
    conversations: [] as ConversationView[],
    messages: [] as MessageView[],
    streams: [] as FakeEventSource[],
    /** The real server publishes the customer's own messages too; a test can hold them back. */
    echoOwnMessages: true,
    pageSize: 30,
    /** The customer's read mark per conversation, as `POST /conversations/:id/read` moves it. */
    lastRead: {} as Record<string, number>,
    /** Ratings given with `POST /conversations/:id/rating`. */
    ratings: {} as Record<string, { rating: string; comment: string | null; createdAt: string }>,

    addConversation(
      init: Partial<ConversationView> = {},
      messages: [MessageAuthor, string][] = [],
    ): ConversationView {
      const conversation: ConversationView = {
        id: `conv-${chat.conversations.length + 1}`,
        subject: null,
        status: 'open',
        origin: 'chat',
        createdAt: now(),
        lastActivityAt: now(),
        ...init,
      };
      chat.conversations.push(conversation);
      for (const [author, body] of messages) chat.addMessage(conversation.id, author, body);
      return conversation;
    },

    addMessage(
      conversationId: string,
      author: MessageAuthor,
      body: string,
      clientId: string | null = null,
    ): MessageView {
      const conversation = chat.conversations.find((c) => c.id === conversationId)!;
      const message: MessageView = {
        id: ++lastMessageId,
        conversationId,
        author,
        body,
        origin: conversation.origin,
        clientId,
        createdAt: now(),
        attachments: [],
      };
      chat.messages.push(message);
      conversation.lastActivityAt = message.createdAt;
      return message;
    },

    /** Stores an event and sends it on every open stream, as the server does after a commit. */
    publish(data: HelperEventData): void {
      events.push({ id: ++lastEventId, data });
      for (const stream of chat.streams) stream.deliver(events.at(-1)!);
    },

    publishMessage(message: MessageView): void {
      const conversation = chat.conversations.find((c) => c.id === message.conversationId)!;
      chat.publish({ type: 'message', conversation: { ...conversation }, message });
    },

    /** A staff reply, live. */
    reply(conversationId: string, body: string): MessageView {
      const message = chat.addMessage(conversationId, 'staff', body);
      chat.publishMessage(message);
      return message;
    },

    summaries(): Array<ConversationSummary & { unreadCount: number }> {
      return chat.conversations
        .map((conversation) => {
          const last = chat.messages.findLast((m) => m.conversationId === conversation.id);
          const unreadCount = chat.messages.filter(
            (m) =>
              m.conversationId === conversation.id &&
              m.author === 'staff' &&
              m.id > (chat.lastRead[conversation.id] ?? 0),
          ).length;
          return {
            ...conversation,
            unreadCount,
            rating: chat.ratings[conversation.id] ?? null,
            lastMessage: last
              ? { author: last.author, preview: last.body, createdAt: last.createdAt }
              : null,
          };
        })
        .sort(
          (a, b) =>
            Number(b.status === 'open') - Number(a.status === 'open') ||
            b.lastActivityAt.localeCompare(a.lastActivityAt),
        );
    },

    /** The latest stream the page opened. */
    stream(): FakeEventSource {
      return chat.streams.at(-1)!;
    },

    /** Answers a conversations request, or `undefined` for another route. */
    handle(
      method: string,
      path: string,
      body: Record<string, unknown> | undefined,
      authorization: string | undefined,
    ): Response | undefined {
      const url = new URL(path, 'https://api.example.com');
      const [root, id, sub, ...rest] = url.pathname.split('/').filter(Boolean);
      if (root !== 'conversations' || rest.length > 0) return undefined;
      const token = authorization?.replace(/^Bearer /, '') ?? '';
      if (!isValidToken(token)) {
        const message = 'The session has expired: start a new one.';
        return json(401, { statusCode: 401, code: 'session_expired', message });
      }
      const text = String(body?.body ?? '');
      const clientId = typeof body?.clientId === 'string' ? body.clientId : null;

      if (id === undefined && method === 'GET') {
        return json(200, { conversations: chat.summaries() });
      }
      if (id === undefined && method === 'POST') {
        const refused = refusedBody(body?.body);
        if (refused) return refused;
        const earlier = chat.messages.find((m) => clientId !== null && m.clientId === clientId);
        const conversation = earlier
          ? chat.conversations.find((c) => c.id === earlier.conversationId)!
          : chat.addConversation();
        const message = earlier ?? chat.addMessage(conversation.id, 'customer', text, clientId);
        if (!earlier && chat.echoOwnMessages) chat.publishMessage(message);
        const summary = chat.summaries().find((c) => c.id === conversation.id);
        return json(earlier ? 200 : 201, { conversation: summary, message });
      }
      if (!chat.conversations.some((c) => c.id === id)) return notFound();
      if (method === 'POST' && sub === 'read') return chat.read(id!, Number(body?.upTo));
      if (method === 'POST' && sub === 'typing') return new Response(null, { status: 202 });
      if (method === 'POST' && sub === 'rating') return chat.rate(id!, body ?? {});
      if (sub !== 'messages') return notFound();
      const all = chat.messages.filter((m) => m.conversationId === id);
      if (method === 'GET') {
        const before = Number(url.searchParams.get('before') ?? Infinity);
        const older = all.filter((m) => m.id < before);
        const messages = older.slice(-chat.pageSize);
        const page: MessagePage = {
          messages,
          nextBefore: older.length > messages.length ? messages[0]!.id : null,
        };
        return json(200, page);
      }
      const earlier = all.find((m) => m.clientId === clientId);
      if (earlier) return json(200, { message: earlier });
      const refused = refusedBody(body?.body);
      if (refused) return refused;
      const message = chat.addMessage(id!, 'customer', text, clientId);
      if (chat.echoOwnMessages) chat.publishMessage(message);
      return json(201, { message });
    },

    /** Moves the read mark forward only, as the server does, and answers what is still unread. */
    read(id: string, upTo: number): Response {
      if (!chat.messages.some((m) => m.id === upTo && m.conversationId === id)) {
        return json(400, {
          statusCode: 400,
          code: 'validation_failed',
          message: 'upTo is not a message of this conversation.',
        });
      }
      chat.lastRead[id] = Math.max(chat.lastRead[id] ?? 0, upTo);
      const summary = chat.summaries().find((c) => c.id === id)!;
      return json(200, { lastReadId: chat.lastRead[id], unreadCount: summary.unreadCount });
    },

    rate(id: string, body: Record<string, unknown>): Response {
      const conversation = chat.conversations.find((c) => c.id === id)!;
      const conflict = (code: string, message: string) =>
        json(409, { statusCode: 409, code, message });
      if (conversation.status !== 'closed')
        return conflict('conversation_open', 'A conversation can be rated once it is closed.');
      if (chat.ratings[id])
        return conflict('already_rated', 'This conversation has been rated already.');
      const comment = typeof body.comment === 'string' ? body.comment : null;
      chat.ratings[id] = { rating: String(body.rating), comment, createdAt: now() };
      return json(201, { rating: chat.ratings[id] });
    },

    /** Sends an event that is not stored (typing) on every open stream, with the stream's position. */
    publishUnstored(data: { type: string } & Record<string, unknown>): void {
      for (const stream of chat.streams) stream.send(data.type, data, Number(stream.lastEventId));
    },

    /** The `EventSource` the page gets: it connects like `GET /events?token=&lastEventId=`. */
    EventSource: undefined as unknown as typeof FakeEventSource,
  };

  class FakeEventSource extends EventTarget {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSED = 2;
    readyState = FakeEventSource.CONNECTING;
    /** The id of the last event this stream delivered, which a reconnection sends back. */
    lastEventId = '';
    readonly params: URLSearchParams;

    constructor(readonly url: string) {
      super();
      this.params = new URL(url, 'https://api.example.com').searchParams;
      chat.streams.push(this);
      // Connecting takes a moment, as over the network.
      queueMicrotask(() => this.connect(this.params.get('lastEventId') ?? ''));
    }

    connect(resumeAfter: string) {
      if (this.readyState === FakeEventSource.CLOSED) return; // closed by the page meanwhile
      if (!isValidToken(this.params.get('token') ?? '')) return this.drop(); // a 401 answer
      this.readyState = FakeEventSource.OPEN;
      this.dispatchEvent(new Event('open'));
      if (resumeAfter === '') {
        this.send('ready', { position: lastEventId }, lastEventId);
      } else {
        for (const event of events) if (event.id > Number(resumeAfter)) this.deliver(event);
      }
    }

    deliver(event: StoredEvent) {
      this.send(event.data.type, event.data, event.id);
    }

    send(type: string, data: unknown, id: number) {
      if (this.readyState !== FakeEventSource.OPEN) return;
      this.lastEventId = String(id);
      this.dispatchEvent(
        new MessageEvent(type, { data: JSON.stringify(data), lastEventId: this.lastEventId }),
      );
    }

    close() {
      this.readyState = FakeEventSource.CLOSED;
    }

    /** The server ended the stream with an error answer: the browser gives up on it. */
    drop() {
      this.readyState = FakeEventSource.CLOSED;
      this.dispatchEvent(new Event('error'));
    }

    /** The connection broke: the browser reconnects by itself (call `reconnect()`). */
    interrupt() {
      this.readyState = FakeEventSource.CONNECTING;
      this.dispatchEvent(new Event('error'));
    }

    /** The browser's own reconnection, with the `Last-Event-ID` header. */
    reconnect() {
      this.connect(this.lastEventId);
    }
  }

  chat.EventSource = FakeEventSource;
  return chat;
}

export type FakeChat = ReturnType<typeof fakeChat>;
