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
