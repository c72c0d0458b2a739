import { isPlainObject } from '@helperkit/core';
import { eventsAddress } from './chat-client.js';
import type { Transport } from './client.js';

/** First wait before reopening a stream the server closed; it doubles up to a minute. */
export const REOPEN_MIN_MS = 1000;
const REOPEN_MAX_MS = 60_000;

export type LiveEventType = 'ready' | 'message' | 'conversation' | 'read' | 'typing' | 'rating';
/** An event's data: every helperkit event carries a JSON object. */
export type LiveData = Record<string, unknown>;

export interface LiveOptions {
  /** Where the stream is (`GET /events`). */
  transport: Transport;
  /**
   * The handler of each event type, given its parsed data; the stream listens to these types.
   * `ready` starts a stream that could not resume: reload what shows.
   */
  on: Record<LiveEventType, (data: LiveData) => void>;
  /** `false` while the stream is down, `true` once it is open again. */
  onConnection(up: boolean): void;
  /** The server ended the stream with an error answer (e.g. an expired token); it reopens later. */
  onClosed(): void;
}

export interface LiveEvents {
  /** Opens the one stream for this token, resuming after the last event seen. */
  open(token: string): void;
  close(): void;
  /** Closes, and forgets where to resume: the next stream belongs to another visitor. */
  forget(): void;
}

/** The customer's server-sent events (`GET /events`), resumed exactly after drops and new tokens. */
export function createLiveEvents(options: LiveOptions): LiveEvents {
  let source: EventSource | undefined;
  let lastEventId = '';
  let delay = REOPEN_MIN_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function close() {
    clearTimeout(timer);
    source?.close();
    source = undefined;
  }

  function open(token: string) {
    close();
    // Without EventSource, what shows is loaded once, as a new stream would make it.
    if (typeof EventSource === 'undefined') return options.on.ready({});
    // A new EventSource cannot set Last-Event-ID: the position goes in the query.
    const stream = new EventSource(eventsAddress(options.transport, token, lastEventId));
    source = stream;
    for (const [type, handle] of Object.entries(options.on)) {
      stream.addEventListener(type, (event) => {
        const message = event as MessageEvent<string>;
        if (message.lastEventId !== '') lastEventId = message.lastEventId;
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return; // not helperkit's: nothing to show
        }
        if (isPlainObject(data)) handle(data);
      });
    }
    // The server's last words on a stream. `expired`: the token ran out; a new session reopens it.
    // `replaced`: a newer tab of this visitor took the place (streams per visitor are capped), so
    // this one stays closed rather than take it back.
    stream.addEventListener('expired', () => {
      close();
      options.onConnection(false);
      options.onClosed();
    });
    stream.addEventListener('replaced', () => {
      close();
      options.onConnection(false);
    });
    stream.addEventListener('open', () => {
      delay = REOPEN_MIN_MS;
      options.onConnection(true);
    });
    stream.addEventListener('error', () => {
      options.onConnection(false);
      // While CONNECTING, the browser reconnects by itself and sends Last-Event-ID.
      if (stream.readyState !== EventSource.CLOSED) return;
      source = undefined;
      timer = setTimeout(() => open(token), delay);
      delay = Math.min(delay * 2, REOPEN_MAX_MS);
      options.onClosed();
    });
  }

  return {
    open,
    close,
    forget() {
      close();
      lastEventId = '';
      delay = REOPEN_MIN_MS;
    },
  };
}
