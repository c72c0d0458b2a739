import { getCurrentScope, onScopeDispose } from 'vue';

/**
 * What the host can listen to, with each event's `detail`: ids and counts only, never a message's
 * text, since `window` events reach every script on the page. See docs/widget.md#events.
 */
export interface HelperEventMap {
  /** A session answered for a new visitor (first load, `identify()`, `reset()`). */
  ready: Record<string, never>;
  /** The panel opened; on this conversation when it opened on one. */
  open: { conversationId: string | null };
  close: Record<string, never>;
  /** A staff message arrived. */
  message: { conversationId: string; messageId: number };
  /** The number of unread staff messages changed. */
  unread: { count: number };
}

export type HelperEventName = keyof HelperEventMap;
export type HelperEventHandler<N extends HelperEventName> = (detail: HelperEventMap[N]) => void;

export function createEvents() {
  const handlers = new Map<HelperEventName, Set<(detail: never) => void>>();
  return {
    /** Unsubscribes by itself when the effect scope (e.g. the component) it was called in ends. */
    on<N extends HelperEventName>(name: N, handler: HelperEventHandler<N>): () => void {
      const set = handlers.get(name) ?? new Set();
      handlers.set(name, set);
      set.add(handler);
      const off = () => void set.delete(handler);
      if (getCurrentScope()) onScopeDispose(off);
      return off;
    },
    emit<N extends HelperEventName>(name: N, detail: HelperEventMap[N]): void {
      // A copy: a handler that unsubscribes must not make the loop skip the next one.
      for (const handler of [...(handlers.get(name) ?? [])]) {
        try {
          handler(detail as never);
        } catch (error) {
          // The host's bug surfaces as an uncaught error, and the widget and other handlers go on.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
      window.dispatchEvent(new CustomEvent(`helper:${name}`, { detail }));
    },
  };
}

export type HelperEvents = ReturnType<typeof createEvents>;
