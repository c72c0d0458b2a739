import { CHAT_LINK_PARAM } from '@helperkit/core';

/**
 * Reads the email-to-chat token (`?helper_chat=`) and removes it from the address bar, keeping
 * the other parameters, the hash and the router's history state, so that a reload or a copied URL
 * does not carry the token on.
 */
export function takeChatLinkToken(): string | null {
  const url = new URL(window.location.href);
  const token = url.searchParams.get(CHAT_LINK_PARAM);
  if (token === null) return null;
  url.searchParams.delete(CHAT_LINK_PARAM);
  window.history.replaceState(window.history.state, '', url.href);
  return token === '' ? null : token;
}
