import { Injectable, type MessageEvent, type OnModuleDestroy } from '@nestjs/common';
import { Observable } from 'rxjs';
import { STAFF_VIEWER } from '../attachments/attachment-links.js';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { HelperObserver } from '../observability/helper-observer.js';
import { InjectEventStorage } from '../storage/storage.tokens.js';
import { toEventView } from './views.js';
import type { ChatEvent, ConversationOwner } from './chat.records.js';
import type { EventStorage } from './event.storage.js';
import { EventRoutes } from './event-routes.js';
import { StreamHeartbeat } from './stream-heartbeat.js';
import { TypingService, type TypingEvent } from './typing.service.js';

const REPLAY_PAGE = 500;

export interface EventFilter {
  mailbox: string;
  /** A customer's events only; absent for staff, who see the whole mailbox. */
  owner?: ConversationOwner;
}

/**
 * Live updates as server-sent events. Every change is stored as an event (in the transaction that
 * made it), so a client that reconnects with Last-Event-ID gets exactly what it missed: the
 * stored events after that id, then the live ones, each once.
 */
@Injectable()
export class EventsService implements OnModuleDestroy {
  private readonly live = new EventRoutes();
  private readonly stopWatching: () => void;

  constructor(
    @InjectEventStorage() private readonly storage: EventStorage,
    private readonly typing: TypingService,
    private readonly heartbeat: StreamHeartbeat,
    private readonly observer: HelperObserver,
    private readonly attachments: AttachmentsService,
  ) {
    // Storage reports every committed event, this instance's and (PostgreSQL) the others'.
    this.stopWatching = storage.watch((event) => this.live.emit(event));
  }

  /**
   * The stream for one client. Without `lastEventId` it starts with a `ready` event that carries
   * the current position, so even the first reconnect resumes exactly. With `expiresAt` (the
   * customer's token) it ends then, with a last `expired` event: a stream must not keep
   * delivering after its token has expired.
   */
  stream(
    filter: EventFilter,
    lastEventId: number | null,
    expiresAt?: Date,
  ): Observable<MessageEvent> {
    // File links are signed for this stream's reader, as each event goes out.
    const viewer = { viewer: filter.owner ?? STAFF_VIEWER, mailbox: filter.mailbox };
    return new Observable<MessageEvent>((subscriber) => {
      this.observer.report({ type: 'stream-opened' });
      let position = lastEventId ?? 0;
      let replaying = true;
      const waiting: ChatEvent[] = [];
      const send = (event: ChatEvent) => {
        if (event.id <= position) return; // already sent by the replay
        position = event.id;
        subscriber.next({
          id: String(event.id),
          type: event.data.type,
          data: toEventView(event.data, (files) => this.attachments.views(files, viewer)),
        });
      };
      // Listen first and hold live events back, so nothing committed during the replay is lost.
      const stopListening = this.live.add(filter.mailbox, filter.owner, (event) => {
        if (replaying) waiting.push(event);
        else send(event);
      });
      const catchUp = async () => {
        if (lastEventId === null) {
          position = await this.storage.lastEventId(filter.mailbox, { owner: filter.owner });
          subscriber.next({ id: String(position), type: 'ready', data: { position } });
        } else {
          for (;;) {
            const page = await this.storage.eventsAfter(
              filter.mailbox,
              { owner: filter.owner },
              position,
              REPLAY_PAGE,
            );
            page.forEach(send);
            if (page.length < REPLAY_PAGE) break;
          }
        }
        replaying = false;
        waiting.splice(0).forEach(send);
      };
      /**
       * An event that is not stored. The platform numbers every SSE message that has no id, so it
       * carries the stream's position instead: a reconnect resumes exactly where it would have.
       * None before the position is known (a new stream's first id comes with `ready`).
       */
      const sendUnstored = (type: string, data: string | object) => {
        if (!replaying) subscriber.next({ id: String(position), type, data });
      };
      const stopTyping = this.typing.watch((event) => {
        if (isTypingFor(event, filter)) sendUnstored('typing', event.data);
      });
      const stopBeating = this.heartbeat.add({
        ping: () => sendUnstored('ping', ''),
        expiresAt: expiresAt?.getTime(),
        expire: () => {
          subscriber.next({ type: 'expired', data: { reason: 'The session token has expired.' } });
          subscriber.complete();
        },
      });
      catchUp().catch((error: unknown) => subscriber.error(error));
      return () => {
        stopListening();
        stopTyping();
        stopBeating();
        this.observer.report({ type: 'stream-closed' });
      };
    });
  }

  onModuleDestroy(): void {
    this.stopWatching();
  }
}

/** A customer's stream gets staff typing in their conversations; staff get the customers'. */
const isTypingFor = (event: TypingEvent, filter: EventFilter) =>
  event.mailbox === filter.mailbox &&
  (filter.owner === undefined
    ? event.data.side === 'customer'
    : event.owner === filter.owner && event.data.side === 'staff');
