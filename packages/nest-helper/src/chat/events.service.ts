import { Injectable, type MessageEvent, type OnModuleDestroy } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { STAFF_VIEWER } from '../attachments/attachment-links.js';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { InjectEventStorage } from '../storage/storage.tokens.js';
import { toEventView } from './views.js';
import type { ChatEvent, ConversationOwner } from './chat.records.js';
import type { EventStorage } from './event.storage.js';

/** Idle connections get a ping this often, so proxies do not close them. */
export const PING_INTERVAL_MS = 25_000;
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
  private readonly live = new Subject<ChatEvent>();
  private readonly stopWatching: () => void;

  constructor(
    @InjectEventStorage() private readonly storage: EventStorage,
    private readonly attachments: AttachmentsService,
  ) {
    // Storage reports every committed event, this instance's and (PostgreSQL) the others'.
    this.stopWatching = storage.watch((event) => this.live.next(event));
  }

  /**
   * The stream for one client. Without `lastEventId` it starts with a `ready` event that carries
   * the current position, so even the first reconnect resumes exactly.
   */
  stream(filter: EventFilter, lastEventId: number | null): Observable<MessageEvent> {
    // File links are signed for this stream's reader, as each event goes out.
    const viewer = { viewer: filter.owner ?? STAFF_VIEWER, mailbox: filter.mailbox };
    return new Observable<MessageEvent>((subscriber) => {
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
      const subscription = this.live.subscribe((event) => {
        if (!matches(event, filter)) return;
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
      catchUp().catch((error: unknown) => subscriber.error(error));
      const ping = setInterval(() => subscriber.next({ type: 'ping', data: '' }), PING_INTERVAL_MS);
      return () => {
        subscription.unsubscribe();
        clearInterval(ping);
      };
    });
  }

  onModuleDestroy(): void {
    this.stopWatching();
    this.live.complete();
  }
}

const matches = (event: ChatEvent, filter: EventFilter) =>
  event.mailbox === filter.mailbox && (filter.owner === undefined || event.owner === filter.owner);
