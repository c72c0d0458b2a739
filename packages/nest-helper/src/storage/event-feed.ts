/**
 * A row of the event log as the feed carries it; the chat gives `data` its meaning. Kept here,
 * apart from the chat's types, so the storage layer knows no feature.
 */
export interface StoredEvent {
  id: number;
  mailbox: string;
  owner: string;
  data: unknown;
}

export type EventListener = (event: StoredEvent) => void;

/**
 * An event that is never stored (someone is typing): it has no id, so a stream sends it without
 * one and a reconnecting client never gets it again. Missed is gone, which is what it is worth.
 */
export interface EphemeralEvent {
  mailbox: string;
  owner: string;
  data: unknown;
}

export type EphemeralListener = (event: EphemeralEvent) => void;

/**
 * Delivers committed events to this instance's live streams, in id order. Storage reports what
 * it committed; where the events come from differs: this process alone (SQLite), or every
 * application instance on the database (PostgreSQL, through LISTEN/NOTIFY).
 */
export interface EventFeed {
  /** Called by storage after a transaction that recorded events has committed. */
  committed(events: readonly StoredEvent[]): void;
  watch(listener: EventListener): () => void;
  /** Hands an ephemeral event to the live streams of every instance (PostgreSQL) or this one. */
  broadcast(event: EphemeralEvent): Promise<void>;
  watchEphemeral(listener: EphemeralListener): () => void;
  close(): Promise<void>;
}

export class ListenerSet<Event = StoredEvent> {
  private readonly listeners = new Set<(event: Event) => void>();

  add(listener: (event: Event) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: Event): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** One process owns the database: what it commits is all there is. */
export class LocalEventFeed implements EventFeed {
  private readonly listeners = new ListenerSet();
  private readonly ephemeral = new ListenerSet<EphemeralEvent>();

  committed(events: readonly StoredEvent[]): void {
    events.forEach((event) => this.listeners.emit(event));
  }

  watch(listener: EventListener): () => void {
    return this.listeners.add(listener);
  }

  async broadcast(event: EphemeralEvent): Promise<void> {
    this.ephemeral.emit(event);
  }

  watchEphemeral(listener: EphemeralListener): () => void {
    return this.ephemeral.add(listener);
  }

  async close(): Promise<void> {}
}
