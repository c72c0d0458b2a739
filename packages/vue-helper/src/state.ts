// The launcher's store: the state and actions `useHelper()` answers from the first moment, the
// host's toggles, and the loading of the panel's chunk. That chunk brings the rest (the session,
// the language, the theme, the floating button, the chat; see attach.ts) when the browser is first
// idle, or at once when someone wants to chat. An action that needs it waits for it, so nothing
// called early is lost. See docs/widget.md#size.
import {
  CHAT_LINK_PARAM,
  resolveToggleButton,
  type CustomerMetadata,
  type WidgetSessionResponse,
} from '@helperkit/core';
import { computed, ref, shallowRef, type Ref } from 'vue';
import type { ChatStore } from './chat.js';
import { createEvents, type HelperEvents } from './events.js';
import { checkOptions, type CheckedOptions } from './options.js';
import { listenForHostToggles } from './page.js';
import type { PanelModule } from './panel.js';
import type {
  Helper,
  HelperError,
  HelperErrorKind,
  HelperOptions,
  HelperStatus,
  IdentitySource,
} from './types.js';

/** What the panel's chunk needs to take over (attach.ts); nothing a host sees. */
export interface StoreInternals {
  options: HelperOptions;
  checked: CheckedOptions;
  session: Ref<WidgetSessionResponse | null>;
  status: Ref<HelperStatus>;
  isOpen: Ref<boolean>;
  chatLinkToken: Ref<string | null>;
  events: HelperEvents;
  /** What `useHelper().title` answers: the option as given until the panel's chunk decides. */
  title: Ref<() => string>;
  report(failure: HelperError): void;
  clearError(...kinds: HelperErrorKind[]): void;
  /** The visitor of an `identify()` or `reset()` called before the panel's chunk arrived. */
  visitor?: { identity: IdentitySource; metadata?: CustomerMetadata };
  /** Set by the panel's chunk: starts or refreshes the session. */
  connect?: () => Promise<void>;
  /** Set by the panel's chunk: its first session request, settled once answered. */
  firstConnect?: Promise<void>;
  /** Set by the panel's chunk: a new visitor, whose session starts at once. */
  switchVisitor?: (identity: IdentitySource, metadata?: CustomerMetadata) => Promise<void>;
  /** Run by `dispose`. */
  disposers: (() => void)[];
}

export interface HelperStore {
  helper: Helper;
  /** The panel's chunk, once loaded and styled (when the browser is idle, or on first open). */
  panel: Readonly<Ref<PanelModule | null>>;
  chat: Ref<ChatStore | null>;
  /** Loads the panel's chunk once; a failed load is reported and tried again on the next call. */
  loadPanel(): Promise<void>;
  /** The text `open({ prompt })` left for the composer, until the composer takes it. */
  prompt: Ref<string | null>;
  internals: StoreInternals;
  /** Browser only: listens for host toggles, loads the panel's chunk when idle. */
  start(): void;
  /** Stops everything `start` began; answers from requests in flight are ignored. */
  dispose(): void;
}

/**
 * Runs `task` when the browser has nothing better to do, at most 3 s later; where it cannot tell
 * (Safari), after the tasks already queued, such as the page's own start-up.
 */
const whenIdle = (task: () => void) =>
  typeof requestIdleCallback === 'function'
    ? requestIdleCallback(task, { timeout: 3000 })
    : setTimeout(task);

export function createHelperStore(options: HelperOptions): HelperStore {
  const checked = checkOptions(options);
  const isOpen = ref(false);
  const session = shallowRef<WidgetSessionResponse | null>(null);
  const status = ref<HelperStatus>('idle');
  const error = shallowRef<HelperError | null>(null);
  const events = createEvents();
  const prompt = ref<string | null>(null);
  const panel = shallowRef<PanelModule | null>(null);
  const chat = shallowRef<ChatStore | null>(null);
  const title = shallowRef(() => options.title ?? 'Support');
  let started = false;

  const report = (failure: HelperError) => {
    error.value = failure;
    options.onError?.(failure);
  };

  const clearError = (...kinds: HelperErrorKind[]) => {
    if (error.value !== null && kinds.includes(error.value.kind)) error.value = null;
  };

  let attached = false;
  let loading: Promise<void> | undefined;
  function loadPanel(): Promise<void> {
    if (!started) return Promise.resolve(); // during SSR, and once disposed
    loading ??= import('./panel.js')
      .then(async (module) => {
        if (!started) return;
        // The session starts at once; the widget shows only once styled (the chunk and its
        // stylesheet are one load, which fails as one).
        if (!attached) module.attach(store);
        attached = true;
        await module.linkStylesheet();
        panel.value = module;
      })
      .catch((cause: unknown) => {
        loading = undefined;
        report({
          kind: 'panel',
          code: 'panel_unavailable',
          message: `The chat panel could not load: ${cause instanceof Error ? cause.message : String(cause)}`,
        });
      });
    return loading;
  }

  /** Runs `action` on the chat once its chunk is there. */
  const withChat = (action: (chat: ChatStore) => void) =>
    void loadPanel().then(() => chat.value && action(chat.value));

  function show(conversationId: string | null) {
    const wasOpen = isOpen.value;
    isOpen.value = true;
    if (!started) return;
    // Someone wants to chat: a session that failed to start gets another try.
    void loadPanel().then(() => void (status.value === 'error' && internals.connect?.()));
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

  /**
   * A new visitor. Before the session's code is there, the newest call's visitor is the one that
   * session starts with, and each call waits for that start.
   */
  async function switchVisitor(identity: IdentitySource, metadata?: CustomerMetadata) {
    if (internals.switchVisitor) return internals.switchVisitor(identity, metadata);
    internals.visitor = { identity, metadata };
    session.value = null;
    await loadPanel();
    await internals.firstConnect;
  }

  const showWidget = computed(() => session.value?.showWidget ?? false);
  const chatLinkToken = ref<string | null>(null);

  const helper: Helper = {
    isOpen,
    showWidget,
    showToggleButton: computed(() =>
      resolveToggleButton(checked.showToggleButton, showWidget.value),
    ),
    title: computed(() => title.value()),
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
    options,
    checked,
    session,
    status,
    isOpen,
    chatLinkToken,
    events,
    title,
    report,
    clearError,
    disposers: [],
  };

  const store: HelperStore = {
    helper,
    panel,
    chat,
    loadPanel,
    prompt,
    internals,
    start() {
      started = true;
      internals.disposers.push(listenForHostToggles(toggle));
      // An email-to-chat link opens the chat at once (see attach.ts); otherwise the panel's chunk
      // waits until the browser is idle.
      if (new RegExp(`[?&]${CHAT_LINK_PARAM}=[^&]`).test(location.search)) show(null);
      else whenIdle(() => void loadPanel());
    },
    dispose() {
      started = false;
      internals.disposers.forEach((stop) => stop());
    },
  };
  return store;
}
