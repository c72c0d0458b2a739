import { Logger } from '@nestjs/common';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { nativeRequest } from './native-request.js';

/**
 * The headers of every event stream: no cache or proxy may keep or buffer it (`X-Accel-Buffering`
 * is nginx's switch). The names keep the case clients have always received.
 */
const SSE_HEADERS: OutgoingHttpHeaders = {
  'Content-Type': 'text/event-stream',
  Connection: 'keep-alive',
  'Cache-Control': 'private, no-cache, no-store, must-revalidate, max-age=0, no-transform',
  Pragma: 'no-cache',
  Expires: '0',
  'X-Accel-Buffering': 'no',
};
const SSE_HEADER_NAMES = new Set(Object.keys(SSE_HEADERS).map((name) => name.toLowerCase()));

const logger = new Logger('HelperModule');

/** Express's response is Node's; Fastify's reply wraps it and keeps its own headers aside. */
interface PlatformResponse {
  raw?: ServerResponse;
  getHeaders?(): OutgoingHttpHeaders;
  hijack?(): unknown;
}

/**
 * One server-sent event stream written straight onto Node's response, on Express and Fastify
 * alike, without a stream or a queue of its own: what the client has not read waits in Node's
 * socket buffer, and a stream whose buffer passes `maxBufferedBytes` is dropped, so a client that
 * stopped reading cannot grow the server's memory; it reconnects with Last-Event-ID and gets what
 * it missed. A replay does not count against it: it waits for `drained` whenever Node's buffer is
 * full. See docs/platforms.md, "Event streams".
 */
export class SseResponse {
  private constructor(
    private readonly raw: ServerResponse,
    private readonly maxBufferedBytes: number,
  ) {}

  /**
   * Sends the status and headers, with whatever headers the platform's response already holds
   * (CORS, for one). Answers null for a HEAD request: it gets the headers and nothing more.
   */
  static start(request: object, response: object, maxBufferedBytes: number): SseResponse | null {
    const platform = response as PlatformResponse;
    const raw = platform.raw ?? (response as ServerResponse);
    const node = nativeRequest(request);
    // Fastify must not answer for the handler once it returns: this response is ours now.
    platform.hijack?.();
    raw.writeHead(200, { ...otherHeaders(platform.getHeaders?.()), ...SSE_HEADERS });
    if (node.method === 'HEAD') {
      raw.end();
      return null;
    }
    tuneSocket(node);
    // A first byte, so the client sees the stream open before its first event.
    raw.write('\n');
    return new SseResponse(raw, maxBufferedBytes);
  }

  /** Calls `listener` once, when the connection closes or the stream has ended. */
  onClose(listener: () => void): void {
    if (this.raw.destroyed) listener();
    else this.raw.once('close', listener);
  }

  /** Writes one event; without `id` it has no `id:` line, so the client keeps its last id. */
  send(type: string, id: number | undefined, data: string | object): void {
    if (this.raw.writableEnded || this.raw.destroyed) return;
    this.raw.write(formatEvent(type, id, data));
    const buffered = this.raw.writableLength;
    if (buffered > this.maxBufferedBytes) {
      logger.warn(
        `An event stream was dropped: its client left ${buffered} bytes unread (limits.streamBufferBytes).`,
      );
      this.raw.destroy();
    }
  }

  end(): void {
    if (!this.raw.writableEnded) this.raw.end();
  }

  /** Whether more waits unread than Node's own buffer holds (a replay then waits for `drained`). */
  backedUp(): boolean {
    return this.raw.writableNeedDrain && !this.raw.destroyed;
  }

  drained(): Promise<void> {
    if (this.raw.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.raw.off('drain', done).off('close', done);
        resolve();
      };
      this.raw.once('drain', done).once('close', done);
    });
  }
}

/** One event in the text/event-stream format: `data` objects as JSON, strings line by line. */
export function formatEvent(type: string, id: number | undefined, data: string | object): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  const idLine = id === undefined ? '' : `id: ${id}\n`;
  return `event: ${type}\n${idLine}data: ${text.split(/\r\n|\r|\n/).join('\ndata: ')}\n\n`;
}

/** The platform's pending headers, without those the stream sets itself (Fastify's are lower case). */
function otherHeaders(headers: OutgoingHttpHeaders | undefined): OutgoingHttpHeaders {
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!SSE_HEADER_NAMES.has(name.toLowerCase())) kept[name] = value;
  }
  return kept;
}

/**
 * Events go out as they are written (no Nagle delay), the connection is probed while idle, and
 * the server's idle timeout does not cut a quiet stream. Not under HTTP/2, where the socket is
 * shared by every stream of the connection.
 */
function tuneSocket(request: IncomingMessage): void {
  if (request.httpVersionMajor > 1) return;
  request.socket.setNoDelay(true);
  request.socket.setKeepAlive(true);
  request.socket.setTimeout(0);
}
