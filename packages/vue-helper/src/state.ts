import {
  resolveToggleButton,
  type CustomerMetadata,
  type WidgetSessionResponse,
} from '@helperkit/core';
import { computed, effectScope, ref, shallowRef, watch, type Ref } from 'vue';
import type { ChatStore } from './chat.js';
import type * as Checks from './checks.js';
import {
  anonymousTokenStorage,
  createClient,
  createTransport,
  reasonOf,
  type Outcome,
  type SessionRequest,
} from './client.js';
import { DRAFT } from './draft.js';
import { createEvents } from './events.js';
import enButton from './i18n/en-button.js';
import { createLocale } from './locale.js';
import { checkOptions, DEFAULT_MAILBOX } from './options.js';
import { listenForHostToggles, takeChatLinkToken } from './page.js';
import type { PanelModule } from './panel.js';
import { followColorScheme } from './theme.js';
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
  /** The panel's chunk and its chat, once loaded (on first open, or when the browser is idle). */
  panel: Readonly<Ref<PanelModule | null>>;
  chat: Readonly<Ref<ChatStore | null>>;
  /** Loads the panel's chunk once; a failed load is reported and tried again on the next call. */
  loadPanel(): Promise<void>;
  /** The text `open({ prompt })` left for the composer, until the composer takes it. */
  prompt: Ref<string | null>;
  locale: ReturnType<typeof createLocale>;
  /** The widget shows once its strings and its title are final, so neither changes in view. */
  ready: Readonly<Ref<boolean>>;
  /** `light` or `dark`: the `theme` option, or the visitor's colour scheme for `auto`. */
  theme: Readonly<Ref<'light' | 'dark'>>;
  position: 'right' | 'left';
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

/** Runs `task` when the browser has nothing better to do (at once where it cannot tell). */
const whenIdle = (task: () => void) =>
  typeof requestIdleCallback === 'function'
    ? requestIdleCallback(task, { timeout: 3000 })
    : void Promise.resolve().then(task);

export function createHelperStore(options: HelperOptions): HelperStore {
  const checked = checkOptions(options);
  const transport = createTransport(checked.apiBase);
  const client = createClient(transport);
  const isOpen = ref(false);
  const session = shallowRef<WidgetSessionResponse | null>(null);
  const status = ref<HelperStatus>('idle');
  const error = shallowRef<HelperError | null>(null);
  const chatLinkToken = ref<string | null>(null);
  const events = createEvents();
  const prompt = ref<string | null>(null);
  const theme = ref<'light' | 'dark'>(checked.theme === 'dark' ? 'dark' : 'light');

  const report = (failure: HelperError) => {
    error.value = failure;
    options.onError?.(failure);
  };
  const clearError = (...kinds: HelperErrorKind[]) => {
    if (error.value !== null && kinds.includes(error.value.kind)) error.value = null;
  };

  /** An option checked in the checks' chunk: its normalised value, or `undefined` and a report. */
  async function checkOption<T>(
    kind: 'title' | 'metadata',
    check: (checks: typeof Checks) => Checks.Checked<T>,
  ): Promise<T | undefined> {
    try {
      const result = check(await import('./checks.js'));
      if (result.ok) return result.value;
      report(result.error);
    } catch (cause) {
      report({
        kind,
        code: 'checks_unavailable',
        message: `The option checks could not load (${reasonOf(cause)}); the ${kind} option is left out.`,
      });
    }
    return undefined;
  }

  /**
   * The `title` option, as given until core's rule (in its own chunk) has checked it, then as
   * normalised, or dropped if invalid. The widget shows only once it is checked (see `ready`).
   */
  const optionTitle = shallowRef(options.title);
  const titleChecked = ref(options.title === undefined);
  async function checkTitle(input: string): Promise<void> {
    optionTitle.value = await checkOption('title', (checks) => checks.checkTitle(input));
    titleChecked.value = true;
  }

  /** Checked when it goes out, with an identity: anonymous visitors never send it. */
  function checkMetadata(
    input: CustomerMetadata | undefined,
  ): Promise<CustomerMetadata | undefined> {
    clearError('metadata');
    if (input === undefined) return Promise.resolve(undefined);
    return checkOption('metadata', (checks) => checks.checkMetadata(input));
  }

  if (options.title !== undefined) void checkTitle(options.title);
  const locale = createLocale(options.locale, options.messages, report);
  // `undefined` means the default: ask the host's signing middleware.
  let identitySource: IdentitySource | undefined = options.identity;
  let metadataInput = options.metadata;
  let metadata: Promise<CustomerMetadata | undefined> | undefined;
  let anonymousToken: string | undefined;

  let started = false;
  let generation = 0;
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopListening: (() => void) | undefined;
  let stopColorScheme: (() => void) | undefined;
  const scope = effectScope(true);

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
        outcome = { ok: false, failure: { code: 'identity_failed', message: reasonOf(cause) } };
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

  async function sessionRequest(identity: HelperIdentity | null): Promise<SessionRequest> {
    // The default mailbox is the server's default too: an older server, which knows no
    // `mailbox` field, keeps working with single-mailbox apps.
    const mailbox = checked.mailbox === DEFAULT_MAILBOX ? {} : { mailbox: checked.mailbox };
    if (identity === null) {
      return anonymousToken === undefined ? mailbox : { ...mailbox, currentToken: anonymousToken };
    }
    const { email, emailHash, timestamp, metadata: signed, metadataHash } = identity;
    const person = { ...mailbox, email, emailHash, timestamp };
    // Metadata the server signed along with the identity goes exactly as signed; otherwise the
    // checked `metadata` option. Metadata is accepted only with a verified identity.
    if (signed !== undefined && typeof metadataHash === 'string') {
      return { ...person, customerMetadata: signed, metadataHash };
    }
    const customerMetadata = await (metadata ??= checkMetadata(metadataInput));
    return customerMetadata === undefined ? person : { ...person, customerMetadata };
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
    const body = await sessionRequest(identity);
    if (run !== generation) return;
    const outcome = await client.startSession(body, signal);
    if (run !== generation) return;

    if (!outcome.ok) {
      report({ kind: 'session', ...outcome.failure });
      // A refresh that fails leaves the current token usable until it expires: try again later.
      if (session.value === null) status.value = 'error';
      else schedule(RETRY_MS);
      return;
    }
    const answer = outcome.value;
    const newVisitor = session.value === null;
    session.value = answer;
    status.value = 'ready';
    clearError('session');
    if (identity === null) {
      anonymousToken = answer.token;
      anonymousTokenStorage.save(answer.token);
    }
    schedule(refreshDelay(answer.expiresAt));
    if (newVisitor) events.emit('ready', {});
    if (chatLinkToken.value !== null && answer.customer !== null) void openChatLink(answer.token);
  }

  /**
   * The conversation of an email-to-chat link (`?helper_chat=`), once the visitor is identified:
   * the server opens it only for the address the email came from.
   */
  async function openChatLink(token: string): Promise<void> {
    const linkToken = chatLinkToken.value!;
    const { signal } = controller!;
    await loadPanel();
    if (chat.value === null) return;
    const outcome = await chat.value.fromLink(token, signal, linkToken);
    chatLinkToken.value = null;
    if (outcome.ok) helper.openConversation(outcome.value.conversation.id);
    else report({ kind: 'chat', ...outcome.failure });
  }

  let renewing: Promise<void> | undefined;
  /** One new session for all the chat requests that met a 401 at once. */
  const renewSession = () => (renewing ??= connect().finally(() => (renewing = undefined)));

  const panel = shallowRef<PanelModule | null>(null);
  const chat = shallowRef<ChatStore | null>(null);
  let loading: Promise<void> | undefined;

  function loadPanel(): Promise<void> {
    loading ??= import('./panel.js')
      // Shown only once styled: the chunk and its stylesheet are one load, which fails as one.
      .then(async (module) => (await module.linkStylesheet(), module))
      .then(
        (module) => {
          if (!started) return;
          locale.complete(module.en);
          const store = module.createChatStore({
            transport,
            session,
            isOpen,
            renewSession,
            report: (failure) => report({ kind: 'chat', ...failure }),
            recovered: () => clearError('chat'),
            staffMessage: (conversationId, messageId) =>
              events.emit('message', { conversationId, messageId }),
          });
          store.start();
          chat.value = store;
          panel.value = module;
        },
        (cause: unknown) => {
          loading = undefined;
          report({
            kind: 'panel',
            code: 'panel_unavailable',
            message: `The chat panel could not load: ${reasonOf(cause)}`,
          });
        },
      );
    return loading;
  }

  /** Runs `action` on the chat once its chunk is there. */
  const withChat = (action: (store: ChatStore) => void) =>
    void loadPanel().then(() => chat.value && action(chat.value));

  /** A new visitor: nothing of the previous session may show while the new one starts. */
  async function switchVisitor(): Promise<void> {
    session.value = null;
    if (!started) return; // during SSR, storage and network are out of bounds
    forgetAnonymousToken();
    await connect();
  }

  function show(conversationId: string | null) {
    const wasOpen = isOpen.value;
    isOpen.value = true;
    if (!started) return;
    void loadPanel();
    // Someone wants to chat: a session that failed to start gets another try.
    if (status.value === 'error') void connect();
    if (!wasOpen) events.emit('open', { conversationId });
  }
  const open = (request: { prompt?: string } = {}) => {
    if (typeof request.prompt === 'string' && request.prompt.trim() !== '') {
      prompt.value = request.prompt;
      withChat((store) => store.select(DRAFT));
    }
    show(null);
  };
  const close = () => {
    if (!isOpen.value) return;
    isOpen.value = false;
    if (started) events.emit('close', {});
  };
  const toggle = (request: { prompt?: string } = {}) =>
    isOpen.value && request.prompt === undefined ? close() : open(request);

  const showWidget = computed(() => session.value?.showWidget ?? false);
  const unreadCount = computed(() => chat.value?.unreadCount.value ?? 0);

  const helper: Helper = {
    isOpen,
    showWidget,
    showToggleButton: computed(() =>
      resolveToggleButton(checked.showToggleButton, showWidget.value),
    ),
    // The server answers "Support" when the mailbox has no title of its own: that one is the
    // catalogue's, translated; any other title shows as given.
    title: computed(() => {
      const fromServer = session.value?.title;
      return (
        optionTitle.value ??
        (fromServer && fromServer !== enButton.title ? fromServer : locale.t('title'))
      );
    }),
    session,
    status,
    error,
    chatLinkToken,
    unreadCount,
    open,
    close,
    toggle: () => toggle(),
    openConversation(id) {
      withChat((store) => store.select(id));
      show(id);
    },
    identify(identity, newMetadata) {
      identitySource = identity;
      // Each identity brings its own metadata, so one customer's never goes out with another's.
      metadataInput = newMetadata;
      metadata = undefined;
      return switchVisitor();
    },
    reset() {
      identitySource = null;
      metadataInput = undefined;
      metadata = undefined;
      clearError('metadata', 'identity');
      return switchVisitor();
    },
    on: events.on,
  };

  return {
    helper,
    panel,
    chat,
    loadPanel,
    prompt,
    locale,
    ready: computed(() => locale.ready.value && titleChecked.value),
    theme,
    position: checked.position,
    start() {
      started = true;
      anonymousToken = anonymousTokenStorage.load();
      void locale.load();
      if (checked.theme === 'auto') stopColorScheme = followColorScheme(theme);
      scope.run(() => watch(unreadCount, (count) => events.emit('unread', { count })));
      const linkToken = takeChatLinkToken();
      if (linkToken !== null) {
        chatLinkToken.value = linkToken;
        show(null);
      }
      stopListening = listenForHostToggles(toggle);
      void connect();
      whenIdle(() => void loadPanel());
    },
    dispose() {
      started = false;
      generation++;
      controller?.abort();
      clearTimeout(timer);
      stopListening?.();
      stopColorScheme?.();
      scope.stop();
      chat.value?.dispose();
    },
  };
}
