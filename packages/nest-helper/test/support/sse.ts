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
  async waitFor(
    predicate: (event: ReceivedEvent) => boolean,
    count = 1,
    timeoutMs = 5000,
  ): Promise<ReceivedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.filter(predicate);
      if (found.length >= count) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `expected ${count} matching events, got ${found.length}: ${JSON.stringify(this.events)}`,
        );
      }
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
        if (event === 'ping') return;
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
