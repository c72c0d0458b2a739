// The email-to-chat link (`?helper_chat=`): a chunk of its own, which the panel's chunk loads only
// when the page's address names the parameter, since only visitors who came from an email's link
// need it. See docs/widget.md#size.
import { watch } from 'vue';
import type { Transport } from './client.js';
import type { HelperStore } from './state.js';

/**
 * Reads the email-to-chat token (core's `CHAT_LINK_PARAM`, `?helper_chat=`) and removes it from the
 * address bar, keeping the other parameters, the hash and the router's history state, so that a
 * reload or a copied URL does not carry the token on. The caller passes the parameter's name: an
 * import of core here would make this chunk import the launcher's, and the host's bundler add a
 * table of preloaded files to the panel's chunk for it.
 */
export function takeChatLinkToken(param: string): string | null {
  const url = new URL(window.location.href);
  const token = url.searchParams.get(param);
  if (token === null) return null;
  url.searchParams.delete(param);
  window.history.replaceState(window.history.state, '', url.href);
  return token === '' ? null : token;
}

// Only the id is used (core's isPlainObject here: see takeChatLinkToken).
const isOpened = (body: unknown): body is { conversation: { id: string } } =>
  typeof (body as { conversation?: { id?: unknown } } | null)?.conversation?.id === 'string';

/**
 * Opens the panel, and the link's conversation once the visitor is identified: the server opens it
 * only for the address the email came from. Call it inside the panel's effect scope.
 */
export function followChatLink(
  param: string,
  { helper, internals }: HelperStore,
  transport: Transport,
  signal: () => AbortSignal,
): void {
  const { session, chatLinkToken, report } = internals;
  const linkToken = takeChatLinkToken(param);
  if (linkToken === null) return;
  chatLinkToken.value = linkToken;
  helper.open(); // the launcher opened already when it saw the link; this is for odd spellings
  watch(
    session,
    async (answer) => {
      const token = chatLinkToken.value;
      if (!answer?.customer || token === null) return;
      const outcome = await transport.json(
        '/conversations/from-link',
        isOpened,
        signal(),
        { token },
        answer.token,
      );
      chatLinkToken.value = null;
      if (outcome.ok) helper.openConversation(outcome.value.conversation.id);
      else report({ kind: 'chat', ...outcome.failure });
    },
    { immediate: true },
  );
}
