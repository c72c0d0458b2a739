import {
  DEFAULT_TITLE,
  resolveToggleButton,
  titleRule,
  validateCustomerMetadata,
  type CustomerMetadata,
  type WidgetSessionRequest,
  type WidgetSessionResponse,
} from '@helperkit/core';
import { computed, ref, shallowRef } from 'vue';
import { createChatClient } from './chat-client.js';
import { createChatStore, type ChatStore } from './chat.js';
import { anonymousTokenStorage, createClient, createTransport, type Outcome } from './client.js';
import { listenForHostToggles, takeChatLinkToken } from './page.js';
import type {
  Helper,
  HelperError,
  HelperErrorKind,
  HelperIdentity,
  HelperOptions,
  HelperStatus,
  IdentitySource,
} from './types.js';

/** Refresh this long before `expiresAt`, which also absorbs a few minutes of clock skew. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** Shortest wait before a request is sent again, so a skewed clock or a down server never loops. */
export const RETRY_MS = 30_000;
/** setTimeout fires at once for longer delays. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface HelperStore {
  helper: Helper;
  /** What the chat components work with (provided to them, not part of `useHelper()`). */
  chat: ChatStore;
  /** Browser only: reads the chat link, listens for host toggles, starts the session. */
  start(): void;
  /** Stops everything `start` began; answers from requests in flight are ignored. */
  dispose(): void;
}

function refreshDelay(expiresAt: string): number {
  const remaining = Date.parse(expiresAt) - Date.now();
  const delay = remaining > 2 * REFRESH_MARGIN_MS ? remaining - REFRESH_MARGIN_MS : remaining / 2;
  return Math.min(Math.max(delay, RETRY_MS), MAX_TIMER_MS);
}

export function createHelperStore(options: HelperOptions): HelperStore {
  const transport = createTransport(options.apiBase);
  const client = createClient(transport);
  const isOpen = ref(false);
  const session = shallowRef<WidgetSessionResponse | null>(null);
  const status = ref<HelperStatus>('idle');
  const error = shallowRef<HelperError | null>(null);
  const chatLinkToken = ref<string | null>(null);

  const report = (failure: HelperError) => {
    error.value = failure;
    options.onError?.(failure);
  };
  const clearError = (...kinds: HelperErrorKind[]) => {
    if (error.value !== null && kinds.includes(error.value.kind)) error.value = null;
  };

  function checkTitle(input: string | undefined): string | undefined {
    if (input === undefined) return undefined;
    const check = titleRule(input);
    if (check.ok) return check.value;
    report({
      kind: 'title',
      code: check.code,
      message: `${check.message} The title option is ignored.`,
      fields: [{ field: 'title', code: check.code, message: check.message }],
    });
    return undefined;
  }

  function checkMetadata(input: CustomerMetadata | undefined): CustomerMetadata | undefined {
    clearError('metadata');
    if (input === undefined) return undefined;
    const result = validateCustomerMetadata(input);
    if (result.ok) return result.value;
    report({
      kind: 'metadata',
      code: 'validation_failed',
      message: `Customer metadata is invalid and was not sent: ${result.errors.map((e) => e.message).join(' ')}`,
      fields: result.errors,
    });
    return undefined;
  }

  const optionTitle = checkTitle(options.title);
  // `undefined` means the default: ask the host's signing middleware.
  let identitySource: IdentitySource | undefined = options.identity;
  let metadata = checkMetadata(options.metadata);
  let anonymousToken: string | undefined;

  let started = false;
  let generation = 0;
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopListening: (() => void) | undefined;

  async function resolveIdentity(signal: AbortSignal): Promise<HelperIdentity | null> {
    const source = identitySource;
    if (source === null || (source !== undefined && typeof source !== 'function')) return source;
    let outcome: Outcome<HelperIdentity | null>;
    if (source === undefined) {
      outcome = await client.fetchIdentity(signal);
    } else {
      try {
        outcome = { ok: true, value: await source() };
      } catch (cause) {
        const reason = cause instanceof Error ? cause.message : String(cause);
        outcome = { ok: false, failure: { code: 'identity_failed', message: reason } };
      }
    }
    if (outcome.ok) {
      clearError('identity');
      return outcome.value ?? null; // a JavaScript function may answer undefined for nobody
    }
    // The visitor can still chat anonymously; the host learns why through `error`.
    if (!signal.aborted) report({ kind: 'identity', ...outcome.failure });
    return null;
  }

  function sessionRequest(identity: HelperIdentity | null): WidgetSessionRequest {
    if (identity === null) {
      return anonymousToken === undefined ? {} : { currentToken: anonymousToken };
    }
    const { email, emailHash, timestamp } = identity;
    // Metadata is accepted only with a verified identity (SPEC 4).
    return metadata === undefined
      ? { email, emailHash, timestamp }
      : { email, emailHash, timestamp, customerMetadata: metadata };
  }

  function schedule(delayMs: number) {
    clearTimeout(timer);
    timer = Number.isNaN(delayMs) ? undefined : setTimeout(() => void connect(), delayMs);
  }

  function forgetAnonymousToken() {
    anonymousToken = undefined;
    anonymousTokenStorage.clear();
  }

  /** Starts or refreshes the session; a newer call makes an older one's answer irrelevant. */
  async function connect(): Promise<void> {
    const run = ++generation;
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    clearTimeout(timer);
    if (session.value === null) status.value = 'loading';

    const identity = await resolveIdentity(signal);
    if (run !== generation) return;
    // An identified visitor's conversations are theirs; the anonymous token must not outlive them.
    if (identity !== null) forgetAnonymousToken();
    const outcome = await client.startSession(sessionRequest(identity), signal);
    if (run !== generation) return;

    if (!outcome.ok) {
      report({ kind: 'session', ...outcome.failure });
      // A refresh that fails leaves the current token usable until it expires: try again later.
      if (session.value === null) status.value = 'error';
      else schedule(RETRY_MS);
      return;
    }
    const answer = outcome.value;
    session.value = answer;
    status.value = 'ready';
    clearError('session');
    if (identity === null) {
      anonymousToken = answer.token;
      anonymousTokenStorage.save(answer.token);
    }
    schedule(refreshDelay(answer.expiresAt));
    if (chatLinkToken.value !== null && answer.customer !== null) void openChatLink(answer.token);
  }

  /**
   * The conversation of an email-to-chat link (`?helper_chat=`), once the visitor is identified:
   * the server opens it only for the address the email came from.
   */
  async function openChatLink(token: string): Promise<void> {
    const linkToken = chatLinkToken.value!;
    const outcome = await chatClient.fromLink(token, controller!.signal, linkToken);
    chatLinkToken.value = null;
    if (outcome.ok) helper.openConversation(outcome.value.conversation.id);
    else report({ kind: 'chat', ...outcome.failure });
  }

  let renewing: Promise<void> | undefined;
  /** One new session for all the chat requests that met a 401 at once. */
  const renewSession = () => (renewing ??= connect().finally(() => (renewing = undefined)));

  const chatClient = createChatClient(transport);
  const chat = createChatStore({
    client: chatClient,
    session,
    isOpen,
    renewSession,
    report: (failure) => report({ kind: 'chat', ...failure }),
    recovered: () => clearError('chat'),
  });

  /** A new visitor: nothing of the previous session may show while the new one starts. */
  async function switchVisitor(): Promise<void> {
    session.value = null;
    if (!started) return; // during SSR, storage and network are out of bounds
    forgetAnonymousToken();
    await connect();
  }

  const open = () => {
    isOpen.value = true;
    // Someone wants to chat: a session that failed to start gets another try.
    if (started && status.value === 'error') void connect();
  };
  const close = () => {
    isOpen.value = false;
  };
  const toggle = () => (isOpen.value ? close() : open());

  const showWidget = computed(() => session.value?.showWidget ?? false);

  const helper: Helper = {
    isOpen,
    showWidget,
    showToggleButton: computed(() =>
      resolveToggleButton(options.showToggleButton, showWidget.value),
    ),
    title: computed(() => optionTitle ?? (session.value?.title || DEFAULT_TITLE)),
    session,
    status,
    error,
    chatLinkToken,
    unreadCount: chat.unreadCount,
    open,
    close,
    toggle,
    openConversation(id) {
      chat.select(id);
      open();
    },
    identify(identity, newMetadata) {
      identitySource = identity;
      // Each identity brings its own metadata, so one customer's never goes out with another's.
      metadata = checkMetadata(newMetadata);
      return switchVisitor();
    },
    reset() {
      identitySource = null;
      metadata = checkMetadata(undefined);
      clearError('identity');
      return switchVisitor();
    },
  };

  return {
    helper,
    chat,
    start() {
      started = true;
      chat.start();
      anonymousToken = anonymousTokenStorage.load();
      const linkToken = takeChatLinkToken();
      if (linkToken !== null) {
        chatLinkToken.value = linkToken;
        isOpen.value = true;
      }
      stopListening = listenForHostToggles(toggle);
      void connect();
    },
    dispose() {
      started = false;
      generation++;
      controller?.abort();
      clearTimeout(timer);
      stopListening?.();
      chat.dispose();
    },
  };
}
