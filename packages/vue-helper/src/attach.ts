// What the panel's chunk adds to the launcher's store when it arrives (when the browser is first
// idle, or at the first open): the session and its refresh, the language, the theme, the title,
// the chat, the email-to-chat link (a chunk of its own) and the chat's events for the host. The
// floating button shows once this is there, so none of it weighs on the launcher.
// See docs/widget.md#size.
import { CHAT_LINK_PARAM } from '@helperkit/core';
import { computed, effectScope, ref, watch, type Ref } from 'vue';
import { createChatStore } from './chat.js';
import { createTransport, reasonOf } from './client.js';
import en from './i18n/en.js';
import { createLocale, type Locale } from './locale.js';
import { checkOption, createSession } from './session.js';
import type { HelperStore } from './state.js';
import { followColorScheme } from './theme.js';

/** Refresh this long before `expiresAt`, which also absorbs a few minutes of clock skew. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** Shortest wait before a request is sent again, so a skewed clock or a down server never loops. */
export const RETRY_MS = 30_000;
/** setTimeout fires at once for longer delays. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function refreshDelay(expiresAt: string): number {
  const remaining = Date.parse(expiresAt) - Date.now();
  const delay = remaining > 2 * REFRESH_MARGIN_MS ? remaining - REFRESH_MARGIN_MS : remaining / 2;
  return Math.min(Math.max(delay, RETRY_MS), MAX_TIMER_MS);
}

/** The store as the panel's components see it: with what the panel's chunk added. */
export interface PanelStore extends HelperStore {
  locale: Locale;
  /** `light` or `dark`: the `theme` option, or the visitor's colour scheme for `auto`. */
  theme: Readonly<Ref<'light' | 'dark'>>;
  /** The widget shows once its strings and its title are final, so neither changes in view. */
  ready: Readonly<Ref<boolean>>;
}

export function attach(store: HelperStore): void {
  const { helper, internals } = store;
  const { options, checked, session, events, report, disposers } = internals;
  const transport = createTransport(checked.apiBase);

  // The session is refreshed before it expires, and a failed refresh is tried again later (the
  // current token stays usable meanwhile).
  let timer: ReturnType<typeof setTimeout> | undefined;
  const visitor = createSession(internals, transport, (ok) => {
    clearTimeout(timer);
    const delay = ok ? refreshDelay(session.value!.expiresAt) : session.value && RETRY_MS;
    timer = delay ? setTimeout(() => void visitor.connect(), delay) : undefined;
  });
  internals.connect = visitor.connect;
  internals.switchVisitor = visitor.switchVisitor;
  disposers.push(() => clearTimeout(timer), visitor.dispose);
  internals.firstConnect = visitor.connect();

  const locale = createLocale(options.locale, options.messages, report);
  void locale.load();
  const theme = ref<'light' | 'dark'>(checked.theme === 'dark' ? 'dark' : 'light');
  if (checked.theme === 'auto') disposers.push(followColorScheme(theme));

  /**
   * The `title` option, as given until core's rule (in its own chunk) has checked it, then as
   * normalised, or dropped if invalid. The widget shows only once it is checked (see `ready`).
   */
  const optionTitle = ref(options.title);
  const titleChecked = ref(options.title === undefined);
  if (options.title !== undefined) {
    const given = options.title;
    void checkOption(report, 'title', (checks) => checks.checkTitle(given)).then((title) => {
      optionTitle.value = title;
      titleChecked.value = true;
    });
  }
  // The server answers "Support" when the mailbox has no title of its own: that one is the
  // catalogue's, translated; any other title shows as given.
  internals.title.value = () => {
    const fromServer = session.value?.title;
    return (
      optionTitle.value ?? (fromServer && fromServer !== en.title ? fromServer : locale.t('title'))
    );
  };
  Object.assign(store, {
    locale,
    theme,
    ready: computed(() => locale.ready.value && titleChecked.value),
  } satisfies Omit<PanelStore, keyof HelperStore>);

  let renewing: Promise<void> | undefined;
  const chat = createChatStore({
    transport,
    session,
    isOpen: internals.isOpen,
    // One new session for all the chat requests that met a 401 at once.
    renewSession: () => (renewing ??= visitor.connect().finally(() => (renewing = undefined))),
    report: (failure) => report({ kind: 'chat', ...failure }),
    recovered: () => internals.clearError('chat'),
    staffMessage: (conversationId, messageId) =>
      events.emit('message', { conversationId, messageId }),
  });
  chat.start();
  store.chat.value = chat;
  disposers.push(chat.dispose);

  const scope = effectScope(true);
  scope.run(() => watch(helper.unreadCount, (count) => events.emit('unread', { count })));
  disposers.push(() => scope.stop());
  // Only visitors who came from an email's link fetch its code (a false match finds no token).
  if (location.search.includes(CHAT_LINK_PARAM)) {
    void import('./chat-link.js').then(
      (link) =>
        scope.run(() => link.followChatLink(CHAT_LINK_PARAM, store, transport, visitor.signal)),
      (cause: unknown) =>
        report({
          kind: 'chat',
          code: 'link_unavailable',
          message:
            process.env.NODE_ENV !== 'production'
              ? `The email-to-chat link's code could not load (${reasonOf(cause)}).`
              : 'link_unavailable',
        }),
    );
  }
}
