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

/**
 * One delegated listener for every host element with `data-helper-toggle`, including those the
 * host renders later. One with `data-helper-prompt` too always opens, on a new conversation with
 * that text in the composer. Answers the function that removes the listener.
 */
export function listenForHostToggles(onToggle: (request: { prompt?: string }) => void): () => void {
  const onClick = (event: MouseEvent) => {
    const target = event.target;
    const toggle = target instanceof Element ? target.closest('[data-helper-toggle]') : null;
    if (toggle === null) return;
    // A link marked as a toggle (a fallback to a contact page) opens the chat instead.
    event.preventDefault();
    const prompt = toggle.getAttribute('data-helper-prompt');
    onToggle(prompt === null ? {} : { prompt });
  };
  document.addEventListener('click', onClick);
  return () => document.removeEventListener('click', onClick);
}
