/** One server-sent event as a client receives it. */
export interface ReceivedEvent {
  id: string | undefined;
  type: string;
  data: unknown;
}

/**
 * A minimal EventSource for tests: opens the stream with fetch (so headers such as Last-Event-ID
 * can be set), parses events as they arrive, and lets a test wait for the ones it expects.
 */
export class SseClient {
  readonly events: ReceivedEvent[] = [];
  private readonly controller = new AbortController();
  private waiters: Array<() => void> = [];
  readonly opened: Promise<Response>;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.opened = fetch(url, {
      headers: { Accept: 'text/event-stream', ...headers },
      signal: this.controller.signal,
    });
    void this.read();
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
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // Aborted by close(), or the server went away: the test decides whether that matters.
    }
  }

  private parse(block: string) {
    let id: string | undefined;
    let type = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon === 0) continue; // a comment
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
    if (type === 'ping') return;
    const text = data.join('\n');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // plain text data
    }
    this.events.push({ id, type, data: parsed });
    this.waiters.splice(0).forEach((wake) => wake());
  }
}
