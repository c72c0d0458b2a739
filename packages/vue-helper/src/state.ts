// The launcher's store: what must run before the floating button can show (options, session,
// locale, theme) and what a click needs before the panel's chunk is there. The rest (the chat,
// session refresh, the email-to-chat link, the host's chat events) arrives with the panel's chunk,
// which takes over in attach.ts. See docs/widget.md#size.
import {
  CHAT_LINK_PARAM,
  resolveToggleButton,
  type CustomerMetadata,
  type WidgetSessionResponse,
} from '@helperkit/core';
import { computed, ref, shallowRef, type Ref } from 'vue';
import type { ChatStore } from './chat.js';
import type * as Checks from './checks.js';
import {
  anonymousTokenStorage,
  createClient,
  createTransport,
  reasonOf,
  type Outcome,
  type SessionRequest,
  type Transport,
} from './client.js';
import { createEvents, type HelperEvents } from './events.js';
import enButton from './i18n/en-button.js';
import { createLocale, type Locale } from './locale.js';
import { checkOptions, DEFAULT_MAILBOX } from './options.js';
import { listenForHostToggles } from './page.js';
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

/** What the panel's chunk needs to take over (attach.ts); nothing a host sees. */
export interface StoreInternals {
  transport: Transport;
  session: Ref<WidgetSessionResponse | null>;
  isOpen: Ref<boolean>;
  chatLinkToken: Ref<string | null>;
  events: HelperEvents;
  report(failure: HelperError): void;
  clearError(...kinds: HelperErrorKind[]): void;
  /** Starts or refreshes the session; a newer call makes an older one's answer irrelevant. */
  connect(): Promise<void>;
  /** The current session request's signal: aborted when the visitor changes. */
  signal(): AbortSignal;
  /** Set by the panel's chunk: told after each session request whether it succeeded. */
  afterConnect?: (ok: boolean) => void;
  /** Run by `dispose`. */
  disposers: (() => void)[];
}

export interface HelperStore {
  helper: Helper;
  /** The panel's chunk and its chat, once loaded (on first open, or when the browser is idle). */
  panel: Readonly<Ref<PanelModule | null>>;
  chat: Ref<ChatStore | null>;
  /** Loads the panel's chunk once; a failed load is reported and tried again on the next call. */
  loadPanel(): Promise<void>;
  /** The text `open({ prompt })` left for the composer, until the composer takes it. */
  prompt: Ref<string | null>;
  locale: Locale;
  /** The widget shows once its strings and its title are final, so neither changes in view. */
  ready: Readonly<Ref<boolean>>;
  /** `light` or `dark`: the `theme` option, or the visitor's colour scheme for `auto`. */
  theme: Readonly<Ref<'light' | 'dark'>>;
  position: 'right' | 'left';
  internals: StoreInternals;
  /** Browser only: listens for host toggles, starts the session, loads the panel when idle. */
  start(): void;
  /** Stops everything `start` began; answers from requests in flight are ignored. */
  dispose(): void;
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
  const events = createEvents();
  const prompt = ref<string | null>(null);
  const theme = ref<'light' | 'dark'>(checked.theme === 'dark' ? 'dark' : 'light');
  const panel = shallowRef<PanelModule | null>(null);
  const chat = shallowRef<ChatStore | null>(null);

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
  if (options.title !== undefined) {
    const given = options.title;
    void checkOption('title', (checks) => checks.checkTitle(given)).then((title) => {
      optionTitle.value = title;
      titleChecked.value = true;
    });
  }

  const locale = createLocale(options.locale, options.messages, report);
  // `undefined` means the default: ask the host's signing middleware.
  let identitySource: IdentitySource | undefined = options.identity;
  let metadataInput = options.metadata;
  /** Checked when it first goes out, with an identity: anonymous visitors never send it. */
  let metadata: Promise<CustomerMetadata | undefined> | undefined;
  let anonymousToken: string | undefined;

  let started = false;
  let generation = 0;
  let controller = new AbortController();

  async function resolveIdentity(signal: AbortSignal): Promise<HelperIdentity | null> {
    const source = identitySource;
    if (source === null || (source !== undefined && typeof source !== 'function')) return source;
    let outcome: Outcome<HelperIdentity | null | undefined>;
    try {
      outcome =
        source === undefined
          ? await client.fetchIdentity(signal)
          : { ok: true, value: await source() };
    } catch (cause) {
      outcome = { ok: false, failure: { code: 'identity_failed', message: reasonOf(cause) } };
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
    if (!metadata) {
      clearError('metadata');
      const input = metadataInput;
      metadata = input && checkOption('metadata', (checks) => checks.checkMetadata(input));
    }
    const customerMetadata = await metadata;
    return customerMetadata === undefined ? person : { ...person, customerMetadata };
  }

  function forgetAnonymousToken() {
    anonymousToken = undefined;
    anonymousTokenStorage.clear();
  }

  async function connect(): Promise<void> {
    const run = ++generation;
    controller.abort();
    controller = new AbortController();
    const { signal } = controller;
    if (session.value === null) status.value = 'loading';

    const identity = await resolveIdentity(signal);
    if (run !== generation) return;
    // An identified visitor's conversations are theirs; the anonymous token must not outlive them.
    if (identity !== null) forgetAnonymousToken();
    const body = await sessionRequest(identity);
    if (run !== generation) return;
    const outcome = await client.startSession(body, signal);
    if (run !== generation) return;

    if (outcome.ok) {
      const answer = outcome.value;
      const newVisitor = session.value === null;
      session.value = answer;
      status.value = 'ready';
      clearError('session');
      if (identity === null) anonymousTokenStorage.save((anonymousToken = answer.token));
      if (newVisitor) events.emit('ready', {});
    } else {
      report({ kind: 'session', ...outcome.failure });
      // A refresh that fails leaves the current token usable until it expires.
      if (session.value === null) status.value = 'error';
    }
    internals.afterConnect?.(outcome.ok);
  }

  let loading: Promise<void> | undefined;
  function loadPanel(): Promise<void> {
    loading ??= import('./panel.js')
      // Shown only once styled: the chunk and its stylesheet are one load, which fails as one.
      .then(async (module) => (await module.linkStylesheet(), module))
      .then(
        (module) => {
          if (!started) return;
          module.attach(store);
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
  const withChat = (action: (chat: ChatStore) => void) =>
    void loadPanel().then(() => chat.value && action(chat.value));

  /** A new visitor: nothing of the previous session may show while the new one starts. */
  async function switchVisitor(identity: IdentitySource | undefined, input?: CustomerMetadata) {
    identitySource = identity;
    // Each identity brings its own metadata, so one customer's never goes out with another's.
    metadataInput = input;
    metadata = undefined;
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
      withChat((store) => store.select('')); // '': the new conversation (DRAFT in chat.ts)
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
  const chatLinkToken = ref<string | null>(null);

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
    unreadCount: computed(() => chat.value?.unreadCount.value ?? 0),
    open,
    close,
    toggle: () => toggle(),
    openConversation(id) {
      withChat((store) => store.select(id));
      show(id);
    },
    identify: switchVisitor,
    reset() {
      clearError('metadata', 'identity');
      return switchVisitor(null);
    },
    on: events.on,
  };

  const internals: StoreInternals = {
    transport,
    session,
    isOpen,
    chatLinkToken,
    events,
    report,
    clearError,
    connect,
    signal: () => controller.signal,
    disposers: [],
  };

  const store: HelperStore = {
    helper,
    panel,
    chat,
    loadPanel,
    prompt,
    locale,
    ready: computed(() => locale.ready.value && titleChecked.value),
    theme,
    position: checked.position,
    internals,
    start() {
      started = true;
      anonymousToken = anonymousTokenStorage.load();
      void locale.load();
      if (checked.theme === 'auto') internals.disposers.push(followColorScheme(theme));
      internals.disposers.push(listenForHostToggles(toggle));
      void connect();
      // An email-to-chat link opens the chat at once (see attach.ts); otherwise the panel's chunk
      // waits until the browser is idle.
      if (new RegExp(`[?&]${CHAT_LINK_PARAM}=[^&]`).test(location.search)) show(null);
      else whenIdle(() => void loadPanel());
    },
    dispose() {
      started = false;
      generation++;
      controller.abort();
      internals.disposers.forEach((stop) => stop());
    },
  };
  return store;
}
