import { Injectable, type MessageEvent, type OnModuleDestroy } from '@nestjs/common';
import { Observable } from 'rxjs';
import { AttachmentsService } from '../attachments/attachments.service.js';
import type { ResolvedHelperOptions } from '../helper.options.js';
import { InjectResolvedHelperOptions } from '../helper.tokens.js';
import { SseResponse } from '../http/sse-response.js';
import { HelperObserver } from '../observability/helper-observer.js';
import { InjectEventStorage } from '../storage/storage.tokens.js';
import type { EventStorage } from './event.storage.js';
import { EventRoutes } from './event-routes.js';
import { EventStream, type EventFilter, type EventSources } from './event-stream.js';
import { StreamHeartbeat } from './stream-heartbeat.js';
import { TypingService } from './typing.service.js';

export type { EventFilter } from './event-stream.js';

/**
 * Live updates as server-sent events. Every change is stored as an event (in the transaction that
 * made it), so a client that reconnects with Last-Event-ID gets exactly what it missed: the
 * stored events after that id, then the live ones, each once.
 */
@Injectable()
export class EventsService implements OnModuleDestroy {
  private readonly sources: EventSources;
  private readonly maxBufferedBytes: number;
  private readonly stopWatching: () => void;

  constructor(
    @InjectEventStorage() storage: EventStorage,
    typing: TypingService,
    heartbeat: StreamHeartbeat,
    observer: HelperObserver,
    attachments: AttachmentsService,
    @InjectResolvedHelperOptions() options: ResolvedHelperOptions,
  ) {
    const live = new EventRoutes();
    this.sources = { storage, live, typing, heartbeat, observer, attachments };
    this.maxBufferedBytes = options.limits.streamBufferBytes;
    // Storage reports every committed event, this instance's and (PostgreSQL) the others'.
    this.stopWatching = storage.watch((event) => live.emit(event));
  }

  /**
   * Serves the stream for one client on the platform's response: the headers now, then the
   * events (see `stream`). Answers the stream, to end it early, or null when there is none (a
   * HEAD request). Call it only once every check that may still answer a JSON error has passed.
   */
  serve(
    request: object,
    response: object,
    filter: EventFilter,
    lastEventId: number | null,
    expiresAt?: Date,
  ): EventStream | null {
    const sse = SseResponse.start(request, response, this.maxBufferedBytes);
    if (!sse) return null;
    const stream = new EventStream(this.sources, sse, filter, lastEventId, expiresAt);
    sse.onClose(() => stream.close());
    return stream;
  }

  /**
   * The stream for one client, as an Observable for a host that serves it itself (with `@Sse()`).
   * Without `lastEventId` it starts with a `ready` event that carries the current position, so
   * even the first reconnect resumes exactly. With `expiresAt` (the customer's token) it ends
   * then, with a last `expired` event: a stream must not keep delivering after its token expired.
   */
  stream(
    filter: EventFilter,
    lastEventId: number | null,
    expiresAt?: Date,
  ): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      const sink = {
        send: (type: string, id: number | undefined, data: string | object) =>
          subscriber.next(id === undefined ? { type, data } : { id: String(id), type, data }),
        end: () => subscriber.complete(),
        // The subscriber takes every event as it comes: whatever pacing there is, is the host's.
        backedUp: () => false,
        drained: () => Promise.resolve(),
      };
      const stream = new EventStream(this.sources, sink, filter, lastEventId, expiresAt);
      return () => stream.close();
    });
  }

  onModuleDestroy(): void {
    this.stopWatching();
  }
}
