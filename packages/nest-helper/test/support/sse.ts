import { createParser } from 'eventsource-parser';

/** One server-sent event as a client receives it. */
export interface ReceivedEvent {
  id: string | undefined;
  type: string;
  data: unknown;
}

/**
 * An EventSource for tests: opens the stream with fetch (so headers such as Last-Event-ID can be
 * set), parses it with eventsource-parser, and lets a test wait for the events it expects.
 */
export class SseClient {
  readonly events: ReceivedEvent[] = [];
  /** Heartbeats received; they are kept out of `events`. */
  pings = 0;
  private readonly controller = new AbortController();
  private waiters: Array<() => void> = [];
  readonly opened: Promise<Response>;
  /** Settles once the stream has ended: closed by the server, by `close()`, or failed. */
  readonly ended: Promise<void>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.opened = fetch(url, {
      headers: { Accept: 'text/event-stream', ...headers },
      signal: this.controller.signal,
    });
    this.ended = this.read();
  }

  /** Waits until `count` events other than pings match `predicate`, or fails after `timeoutMs`. */
  waitFor(
    predicate: (event: ReceivedEvent) => boolean,
    count = 1,
    timeoutMs = 5000,
  ): Promise<ReceivedEvent[]> {
    let found: ReceivedEvent[] = [];
    return this.waitUntil(
      () => {
        found = this.events.filter(predicate);
        return found.length >= count ? found : undefined;
      },
      () =>
        `expected ${count} matching events, got ${found.length}: ${JSON.stringify(this.events)}`,
      timeoutMs,
    );
  }

  /** Waits until the stream has sent `count` heartbeat pings, or fails after `timeoutMs`. */
  async waitForPings(count: number, timeoutMs = 5000): Promise<void> {
    await this.waitUntil(
      () => (this.pings >= count ? true : undefined),
      () => `expected ${count} pings, got ${this.pings}`,
      timeoutMs,
    );
  }

  private async waitUntil<T>(
    check: () => T | undefined,
    failure: () => string,
    timeoutMs: number,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = check();
      if (result !== undefined) return result;
      if (Date.now() > deadline) throw new Error(failure());
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  close(): void {
    this.controller.abort();
  }

  private async read() {
    let response: Response;
    try {
      response = await this.opened;
    } catch {
      return;
    }
    if (!response.body) return;
    const parser = createParser({
      onEvent: ({ id, event, data }) => {
        if (event === 'ping') {
          this.pings++;
          this.waiters.splice(0).forEach((wake) => wake());
          return;
        }
        let parsed: unknown = data;
        try {
          parsed = JSON.parse(data);
        } catch {
          // plain text data
        }
        this.events.push({ id, type: event ?? 'message', data: parsed });
        this.waiters.splice(0).forEach((wake) => wake());
      },
    });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body)
        parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
    } catch {
      // Aborted by close(), or the server went away: the test decides whether that matters.
    }
  }
}
