// What the panel's chunk adds to the launcher's store when it arrives (when the browser is first
// idle, or at the first open): the chat, the session refresh, the email-to-chat link and the
// chat's events for the host. Nothing here is needed before the floating button shows, so none of
// it weighs on the launcher. See docs/widget.md#size.
import { effectScope, watch } from 'vue';
import { createChatStore } from './chat.js';
import { takeChatLinkToken } from './chat-link.js';
import en from './i18n/en.js';
import type { HelperStore } from './state.js';

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

export function attach(store: HelperStore): void {
  const { helper, internals } = store;
  const { session, chatLinkToken, events, report, disposers } = internals;
  store.locale.complete(en);

  // The session is refreshed before it expires, and a failed refresh is tried again later (the
  // current token stays usable meanwhile). A session that answered before this chunk counts too.
  let timer: ReturnType<typeof setTimeout> | undefined;
  internals.afterConnect = (ok) => {
    clearTimeout(timer);
    const delay = ok ? refreshDelay(session.value!.expiresAt) : session.value && RETRY_MS;
    timer = delay ? setTimeout(() => void internals.connect(), delay) : undefined;
  };
  if (session.value !== null) internals.afterConnect(true);
  disposers.push(() => clearTimeout(timer));

  let renewing: Promise<void> | undefined;
  const chat = createChatStore({
    transport: internals.transport,
    session,
    isOpen: internals.isOpen,
    // One new session for all the chat requests that met a 401 at once.
    renewSession: () => (renewing ??= internals.connect().finally(() => (renewing = undefined))),
    report: (failure) => report({ kind: 'chat', ...failure }),
    recovered: () => internals.clearError('chat'),
    staffMessage: (conversationId, messageId) =>
      events.emit('message', { conversationId, messageId }),
  });
  chat.start();
  store.chat.value = chat;
  disposers.push(chat.dispose);

  /**
   * The conversation of an email-to-chat link (`?helper_chat=`), once the visitor is identified:
   * the server opens it only for the address the email came from.
   */
  async function openChatLink(token: string): Promise<void> {
    const outcome = await chat.fromLink(token, internals.signal(), chatLinkToken.value!);
    chatLinkToken.value = null;
    if (outcome.ok) helper.openConversation(outcome.value.conversation.id);
    else report({ kind: 'chat', ...outcome.failure });
  }
  const linkToken = takeChatLinkToken();
  if (linkToken !== null) {
    chatLinkToken.value = linkToken;
    helper.open(); // the launcher opened already when it saw the link; this is for odd spellings
  }

  const scope = effectScope(true);
  scope.run(() => {
    watch(helper.unreadCount, (count) => events.emit('unread', { count }));
    watch(
      session,
      (answer) => {
        if (answer?.customer && chatLinkToken.value !== null) void openChatLink(answer.token);
      },
      { immediate: true },
    );
  });
  disposers.push(() => scope.stop());
}
