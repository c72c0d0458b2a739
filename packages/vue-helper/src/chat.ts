import {
  isPlainObject,
  type AttachmentView,
  type ConversationSummary,
  type ConversationView,
  type FieldError,
  type MessageView,
  type WidgetSessionResponse,
} from '@helperkit/core';
import { computed, effectScope, reactive, ref, watch, type Ref } from 'vue';
import { createActivity } from './activity.js';
import {
  fileAddress,
  listConversations,
  listMessages,
  postMessage,
  startConversation,
  uploadAttachment,
  type ChatRequest,
  type RatingView,
} from './chat-client.js';
import { fail, type Failure, type Outcome, type Transport } from './client.js';
import { DRAFT } from './draft.js';
import { createLiveEvents, type LiveData } from './live.js';
import { keyOf, newClientId, upsertMessage, type ChatMessage, type Thread } from './thread.js';

export type ListStatus = 'idle' | 'loading' | 'ready' | 'error';

export { DRAFT };

export interface ChatDeps {
  transport: Transport;
  session: Readonly<Ref<WidgetSessionResponse | null>>;
  isOpen: Readonly<Ref<boolean>>;
  /** Starts a new session (after a 401) and resolves once it answered. */
  renewSession(): Promise<void>;
  report(failure: Failure): void;
  /** A chat request succeeded: an earlier chat failure is over. */
  recovered(): void;
  /** A staff message arrived (live), for the host's `message` event. */
  staffMessage(conversationId: string, messageId: number): void;
}

// Open ones first, then the latest activity first: the server's order for GET /conversations.
const byActivity = (a: ConversationView, b: ConversationView) =>
  +(b.status === 'open') - +(a.status === 'open') ||
  Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt);

/**
 * A list item, with the server's unread count and the customer's rating (docs/widget.md, "Read
 * state, typing and rating").
 */
export type Summary = ConversationSummary & { unreadCount?: number; rating?: RatingView | null };

type SummaryUpdate = ConversationView & {
  lastMessage?: ConversationSummary['lastMessage'];
  unreadCount?: number;
  rating?: RatingView | null;
};

/** The chat: conversations, their messages, sending, live updates and unread replies. */
export function createChatStore(deps: ChatDeps) {
  const { session, isOpen, transport } = deps;
  const summaries = reactive(new Map<string, Summary>());
  const listStatus = ref<ListStatus>('idle');
  const listError = ref<string | null>(null);
  const threads = reactive(new Map<string, Thread>());
  /** What the panel shows: `null` the list, {@link DRAFT} a new conversation, else its id. */
  const current = ref<string | null>(null);
  /** Replies not read yet, by conversation (only counts above zero). */
  const unread = reactive(new Map<string, number>());
  const reconnecting = ref(false);
  /**
   * Texts the server refused, by conversation ({@link DRAFT} too), each handed back to that
   * conversation's composer to be fixed: there when the visitor is, or when they come back.
   */
  const refused = reactive(new Map<string, { body: string; field: FieldError }>());

  let listStale = true;
  let epoch = 0;
  let controller = new AbortController();
  let starting: Promise<Outcome<string> | null> | undefined;

  /**
   * Runs a request with the session token; after a 401 it starts a new session and tries once
   * more. `null` when the visitor changed meanwhile: the answer is someone else's.
   */
  async function authorized<T>(request: ChatRequest<T>): Promise<Outcome<T> | null> {
    const run = epoch;
    const { signal } = controller;
    const token = session.value?.token;
    let outcome: Outcome<T> =
      token === undefined
        ? fail('session_required', 'The chat is not connected.')
        : await request(token, signal);
    if (!outcome.ok && outcome.failure.statusCode === 401) {
      await deps.renewSession();
      const renewed = session.value?.token;
      if (run === epoch && renewed !== undefined && renewed !== token) {
        outcome = await request(renewed, signal);
      }
    }
    if (run !== epoch) return null;
    if (outcome.ok) deps.recovered();
    else deps.report(outcome.failure);
    return outcome;
  }

  function threadOf(key: string, status: Thread['status'] = 'ready'): Thread {
    if (!threads.has(key)) {
      threads.set(key, {
        status,
        error: null,
        messages: [],
        nextBefore: null,
        loadingEarlier: false,
      });
    }
    return threads.get(key)!; // the reactive one
  }

  /** The customer's own message with this clientId, wherever it is. */
  function ownMessage(clientId: string): [string, ChatMessage] | undefined {
    for (const [key, thread] of threads) {
      const message = thread.messages.find(
        (m) => m.author === 'customer' && m.clientId === clientId,
      );
      if (message) return [key, message];
    }
    return undefined;
  }

  function upsertSummaries(updates: readonly SummaryUpdate[]): void {
    for (const update of updates) {
      const known = summaries.get(update.id);
      // An answer that left before a live update arrived must not undo it.
      if (!known || update.lastActivityAt >= known.lastActivityAt) {
        summaries.set(update.id, { lastMessage: null, ...known, ...update });
        // The server's count survives a reload; live replies add to it from here.
        if (update.unreadCount !== undefined) setUnread(update.id, update.unreadCount);
        if (update.rating) activity.rememberRating(update.id, update.rating);
      }
    }
  }

  async function loadList(): Promise<void> {
    listStale = false;
    if (listStatus.value !== 'ready') listStatus.value = 'loading';
    const outcome = await authorized(listConversations(transport));
    if (!outcome) return;
    if (outcome.ok) {
      upsertSummaries(outcome.value.conversations);
      listStatus.value = 'ready';
    } else if (listStatus.value !== 'ready') {
      // A list already shown stays; the failure went to `error`.
      listStatus.value = 'error';
      listError.value = outcome.failure.message;
    }
  }

  // Opening the panel also tries a list that failed again.
  const ensureList = () => {
    if (isOpen.value && session.value && (listStale || listStatus.value === 'error')) {
      void loadList();
    }
  };

  /** Loads (or reloads) a conversation's newest messages. */
  async function loadNewest(id: string): Promise<void> {
    const thread = threadOf(id, 'loading');
    const fresh = thread.status !== 'ready';
    if (fresh) thread.status = 'loading';
    const outcome = await authorized(listMessages(transport, id, null));
    if (!outcome) return;
    if (!outcome.ok) {
      // Messages already shown stay; the failure went to `error`.
      if (fresh) Object.assign(thread, { status: 'error', error: outcome.failure.message });
      return;
    }
    const { messages, nextBefore } = outcome.value;
    const newestShown = Math.max(0, ...thread.messages.map((m) => m.id ?? 0));
    if (!fresh && nextBefore !== null && (messages[0]?.id ?? 0) > newestShown) {
      // More came than one page while the stream was gone: start over from this page.
      thread.messages = thread.messages.filter((m) => m.id === null);
      thread.nextBefore = nextBefore;
    }
    if (fresh) thread.nextBefore = nextBefore;
    for (const message of messages) upsertMessage(thread, message);
    thread.status = 'ready';
  }

  async function loadOlder(id: string): Promise<void> {
    const thread = threads.get(id);
    const before = thread?.nextBefore ?? null;
    if (!thread || before === null || thread.loadingEarlier) return;
    thread.loadingEarlier = true;
    const outcome = await authorized(listMessages(transport, id, before));
    thread.loadingEarlier = false;
    // On failure the button stays for another try; the failure went to `error`.
    if (!outcome?.ok) return;
    for (const message of outcome.value.messages) upsertMessage(thread, message);
    thread.nextBefore = outcome.value.nextBefore;
  }

  function markFailed(clientId: string, failure: Failure): void {
    const [key, message] = ownMessage(clientId) ?? [];
    // The live event may have confirmed it although the answer was lost.
    if (message?.id !== null) return;
    // The server checks the text (docs/widget.md#sending): a refused text goes back to the
    // composer with the reason, as a retry could only be refused again. With files it stays here.
    const field = failure.fields?.find((f) => f.field === 'body');
    if (field && !message.attachments.length) {
      const { messages } = threads.get(key!)!;
      messages.splice(messages.indexOf(message), 1);
      // Several refused before the composer took them: all of them, in the order written.
      const earlier = refused.get(key!)?.body;
      refused.set(key!, { body: earlier ? `${earlier}\n${message.body}` : message.body, field });
      return;
    }
    message.state = 'failed';
    message.error = failure.message;
    message.retryAfter = failure.retryAfter;
  }

  /** Starts the draft conversation with this message; the draft's messages move into it. */
  async function start(clientId: string): Promise<Outcome<string> | null> {
    const first = ownMessage(clientId)?.[1];
    if (!first) return null;
    const outcome = await authorized(startConversation(transport, first.body, clientId));
    if (!outcome) return null;
    if (!outcome.ok) {
      markFailed(clientId, outcome.failure);
      return outcome;
    }
    const { conversation, message } = outcome.value;
    const thread = threadOf(conversation.id);
    const draft = threadOf(DRAFT);
    threads.delete(DRAFT);
    thread.messages.push(...draft.messages.filter((m) => !thread.messages.includes(m)));
    upsertMessage(thread, message);
    upsertSummaries([conversation]);
    if (current.value === DRAFT) current.value = conversation.id;
    return { ok: true, value: conversation.id };
  }

  /** Sends one of the customer's messages; in the draft, the first one starts the conversation. */
  async function deliver(key: string, clientId: string): Promise<void> {
    let id = key;
    if (key === DRAFT) {
      // Messages written while the conversation is being started wait for it, so only one starts.
      if (starting === undefined) {
        const run = start(clientId);
        starting = run;
        await run;
        if (starting === run) starting = undefined;
        return;
      }
      const started = await starting;
      if (!started) return;
      if (!started.ok) return markFailed(clientId, started.failure);
      id = started.value;
    }
    const message = ownMessage(clientId)?.[1];
    if (!message) return;
    const files = message.attachments.map((file) => file.id);
    const outcome = await authorized(postMessage(transport, id, message.body, clientId, files));
    if (outcome?.ok) upsertMessage(threadOf(id), outcome.value.message);
    else if (outcome) markFailed(clientId, outcome.failure);
  }

  /** Loads the conversation the panel shows once there is a session to ask with. */
  function ensureThread(): void {
    const id = current.value;
    if (id && !threads.has(id) && session.value) void loadNewest(id);
  }

  const isShown = (id: string) => isOpen.value && current.value === id;

  function setUnread(id: string, count: number): void {
    // What shows is being read: its count is cleared, and the read posted.
    if (count > 0 && !isShown(id)) unread.set(id, count);
    else unread.delete(id);
  }

  const activity = createActivity({
    transport,
    authorized,
    quietly(request) {
      const token = session.value?.token;
      if (token !== undefined) void request(token, controller.signal);
    },
    setUnread,
  });

  /** The newest staff message of the conversation on screen: what the customer has now read. */
  function shownNewest(): [string, number] | null {
    const id = current.value;
    if (!id || !isShown(id)) return null;
    const staff = (threads.get(id)?.messages ?? []).filter((m) => m.author === 'staff');
    const newest = Math.max(0, ...staff.map((m) => m.id ?? 0));
    return newest > 0 ? [id, newest] : null;
  }

  function onMessage(data: LiveData): void {
    if (!isPlainObject(data.conversation) || !isPlainObject(data.message)) return;
    const conversation = data.conversation as unknown as ConversationView;
    const message = data.message as unknown as MessageView;
    const { author, body: preview, createdAt } = message;
    // A list that answered after this message was stored already counts it as unread.
    const listed = summaries.get(conversation.id);
    const counted = listed !== undefined && listed.lastActivityAt >= conversation.lastActivityAt;
    upsertSummaries([{ ...conversation, lastMessage: { author, preview, createdAt } }]);
    const thread = threads.get(conversation.id);
    const isNew = !thread?.messages.some((m) => m.id === message.id);
    if (thread) upsertMessage(thread, message);
    if (author === 'staff') activity.stopTyping(conversation.id);
    if (author === 'staff' && isNew) deps.staffMessage(conversation.id, message.id);
    if (author === 'staff' && isNew && !counted && !isShown(conversation.id)) {
      unread.set(conversation.id, (unread.get(conversation.id) ?? 0) + 1);
    }
  }

  /** A stream that could not resume: what shows may have missed changes, so it is loaded again. */
  function onReady(): void {
    // Open or not: the list brings the unread counts, which the badge shows after a reload.
    if (session.value) void loadList();
    else listStale = true;
    for (const [id, thread] of threads) {
      if (id && thread.status === 'ready') void loadNewest(id);
    }
    ensureThread();
  }

  const live = createLiveEvents({
    transport,
    on: {
      ready: onReady,
      message: onMessage,
      conversation(data) {
        if (isPlainObject(data.conversation))
          upsertSummaries([data.conversation as unknown as ConversationView]);
      },
      typing: activity.onTyping,
      read(data) {
        // This customer read it in another tab or device: it is read here too.
        if (data.side === 'customer' && isPlainObject(data.conversation))
          setUnread(String(data.conversation.id), 0);
      },
      rating(data) {
        if (isPlainObject(data.conversation))
          activity.rememberRating(String(data.conversation.id), data.rating);
      },
    },
    onConnection: (up) => (reconnecting.value = !up),
    // Often an expired token: a list request finds out (and renews the session) or shows the outage.
    onClosed: () => void loadList(),
  });

  /** Everything of the previous visitor goes: nothing of theirs may show to the next one. */
  function forgetVisitor(): void {
    epoch++;
    controller.abort();
    controller = new AbortController();
    starting = undefined;
    live.forget();
    summaries.clear();
    listStatus.value = 'idle';
    listError.value = null;
    listStale = true;
    threads.clear();
    current.value = null;
    unread.clear();
    reconnecting.value = false;
    activity.forget();
  }

  const scope = effectScope(true);

  return {
    conversations: computed(() => [...summaries.values()].sort(byActivity)),
    listStatus,
    listError,
    current,
    /** The thread the panel shows (the draft's may not exist yet). */
    thread: computed(() => threads.get(current.value ?? DRAFT)),
    unread,
    unreadCount: computed(() => [...unread.values()].reduce((sum, n) => sum + n, 0)),
    reconnecting,
    /** Support is typing in the conversation on screen. */
    supportTyping: computed(() => activity.typingIn.has(current.value!)),
    ratings: activity.ratings,

    /** The customer typed: support hears of it (throttled) once the conversation exists. */
    typing(): void {
      const id = current.value;
      if (id) activity.typing(id);
    },

    /** Rates the conversation on screen; answers the failure to show, or `null`. */
    rate(rating: 'good' | 'bad', comment: string) {
      const id = current.value;
      return id ? activity.rate(id, rating, comment) : Promise.resolve(null);
    },

    /** `null`: the list; {@link DRAFT}: a new conversation; else that conversation. */
    select(id: string | null): void {
      current.value = id;
      ensureThread();
    },
    loadList,
    loadNewest,
    loadOlder,

    /** Uploads a file to the conversation shown, for the next message to carry. */
    upload(file: File, onProgress: (fraction: number) => void) {
      const id = current.value;
      return id
        ? authorized(uploadAttachment(transport, id, file, onProgress))
        : Promise.resolve(null);
    },
    fileUrl: (url: string) => fileAddress(transport, url),

    refused,

    /**
     * Shows the message at once and sends it; the composer sends trimmed, never blank text. The
     * server checks the rest (length, control characters): see {@link refused}.
     */
    send(text: string, attachments: AttachmentView[] = []): void {
      const key = current.value ?? DRAFT;
      // Pinned, so that a list filled by a live event meanwhile does not replace this view.
      current.value = key;
      const clientId = newClientId();
      threadOf(key).messages.push({
        key: keyOf('customer', null, clientId),
        id: null,
        author: 'customer',
        body: text,
        origin: 'chat',
        clientId,
        createdAt: new Date().toISOString(),
        attachments,
        state: 'sending',
      });
      void deliver(key, clientId);
    },

    /** Sends a failed message again with the same clientId: stored once whatever happened. */
    retry({ clientId }: ChatMessage): void {
      const found = clientId === null ? undefined : ownMessage(clientId);
      if (clientId === null || found?.[1].state !== 'failed') return;
      found[1].state = 'sending';
      void deliver(found[0], clientId);
    },

    /** Browser only: follows the session (one stream per token) and the panel. */
    start(): void {
      scope.run(() => {
        watch(
          () => session.value?.token,
          (token) => (token === undefined ? forgetVisitor() : live.open(token)),
          // Sync: a visitor switch (token, then none, then another) must never look like a refresh.
          { immediate: true, flush: 'sync' },
        );
        // Immediate: the panel may have been opened before this chunk arrived.
        watch(isOpen, ensureList, { immediate: true });
        // A reply counts as read once its conversation is on screen, here and on the server.
        watch([isOpen, current], () => {
          const id = current.value;
          if (id !== null && isShown(id) && unread.has(id)) setUnread(id, 0);
        });
        watch(shownNewest, (shown) => shown && void activity.markRead(...shown));
      });
    },

    dispose(): void {
      scope.stop();
      forgetVisitor();
    },
  };
}

export type ChatStore = ReturnType<typeof createChatStore>;
