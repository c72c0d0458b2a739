import type { ChatEvent } from './chat.records.js';

type Listener = (event: ChatEvent) => void;

/** The key of one mailbox's staff streams: no customer owner key contains a line break. */
const STAFF = '\n';

/**
 * The open streams of this instance, by mailbox and owner, so an event reaches only the streams
 * it is for (its owner's and the mailbox's staff) rather than being offered to every stream.
 */
export class EventRoutes {
  private readonly routes = new Map<string, Set<Listener>>();

  /** `owner` absent: a staff stream, which gets every event of the mailbox. */
  add(mailbox: string, owner: string | undefined, listener: Listener): () => void {
    const key = routeKey(mailbox, owner ?? STAFF);
    let listeners = this.routes.get(key);
    if (!listeners) this.routes.set(key, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.routes.delete(key);
    };
  }

  emit(event: ChatEvent): void {
    this.routes.get(routeKey(event.mailbox, event.owner))?.forEach((listener) => listener(event));
    this.routes.get(routeKey(event.mailbox, STAFF))?.forEach((listener) => listener(event));
  }
}

const routeKey = (mailbox: string, owner: string) => `${mailbox}\n${owner}`;
