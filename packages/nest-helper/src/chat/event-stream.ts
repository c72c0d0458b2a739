import { Logger } from '@nestjs/common';
import { STAFF_VIEWER } from '../attachments/attachment-links.js';
import type { AttachmentsService } from '../attachments/attachments.service.js';
import type { HelperObserver } from '../observability/helper-observer.js';
import type { ChatEvent, ConversationOwner } from './chat.records.js';
import type { EventStorage } from './event.storage.js';
import type { EventRoutes } from './event-routes.js';
import type { Beat, StreamHeartbeat } from './stream-heartbeat.js';
import type { TypingEvent, TypingService } from './typing.service.js';
import { toEventView } from './views.js';

const REPLAY_PAGE = 500;
/** What a client is told when its stream fails after it started (details go to the log only). */
const STREAM_FAILED = 'Internal server error';

const logger = new Logger('HelperModule');

export interface EventFilter {
  mailbox: string;
  /** A customer's events only; absent for staff, who see the whole mailbox. */
  owner?: ConversationOwner;
}

/** Where a stream's events go: an HTTP response, or a subscriber of `EventsService.stream`. */
export interface EventSink {
  /** One event; without `id` the client keeps the last id it had. */
  send(type: string, id: number | undefined, data: string | object): void;
  /** Ends the stream from the server's side. */
  end(): void;
  /** Whether the client is behind: what was written waits, unread, past the sink's buffer. */
  backedUp(): boolean;
  /** Settles once the client has read what waits, or has gone. */
  drained(): Promise<void>;
}

/** The instance-wide parts every stream uses: one object, shared by all of them. */
export interface EventSources {
  storage: EventStorage;
  live: EventRoutes;
  typing: TypingService;
  heartbeat: StreamHeartbeat;
  observer: HelperObserver;
  attachments: AttachmentsService;
}

/**
 * One client's event stream, from its `ready` (or replay) to its end, as one small object: it
 * listens to the live events of its filter, typing notices and the shared heartbeat, and drops
 * all three at once in `close()`.
 *
 * Until it is live the stream reads stored events, as fast as its client takes them. A live event
 * meanwhile is not kept (it is stored: the next read finds it), it only marks the stream behind,
 * so one more read follows; the stream goes live once a read found the last page and nothing
 * came during it. Nothing committed is lost and nothing waits in memory for a slow client. See
 * docs/platforms.md, "Event streams".
 */
export class EventStream implements Beat {
  readonly expiresAt: number | undefined;
  private position: number;
  /** Whether the client has a position to resume from: it sent one, or got `ready`. */
  private positioned: boolean;
  /** Whether live events go out as they come; before, the stream reads them from storage. */
  private live = false;
  /** A live event came while the stream was reading storage: one more read is due. */
  private behind = false;
  private closed = false;
  private readonly viewer: { viewer: string; mailbox: string };
  private readonly stopListening: () => void;
  private readonly stopTyping: () => void;
  private readonly stopBeating: () => void;

  constructor(
    private readonly sources: EventSources,
    private readonly sink: EventSink,
    private readonly filter: EventFilter,
    lastEventId: number | null,
    expiresAt?: Date,
  ) {
    this.position = lastEventId ?? 0;
    this.positioned = lastEventId !== null;
    this.expiresAt = expiresAt?.getTime();
    // File links are signed for this stream's reader, as each event goes out.
    this.viewer = { viewer: filter.owner ?? STAFF_VIEWER, mailbox: filter.mailbox };
    sources.observer.report({ type: 'stream-opened' });
    // Listen before the first read, so nothing committed meanwhile is missed.
    this.stopListening = sources.live.add(filter.mailbox, filter.owner, (event) =>
      this.onLive(event),
    );
    this.stopTyping = sources.typing.watch((event) => this.onTyping(event));
    this.stopBeating = sources.heartbeat.add(this);
    this.catchUp(lastEventId).catch((error: unknown) => {
      logger.error(`An event stream failed: ${String(error)}`);
      this.finish('error', STREAM_FAILED);
    });
  }

  /** The heartbeat's ping, which keeps proxies from closing an idle connection. */
  ping(): void {
    this.sendUnstored('ping', '');
  }

  /** The token ran out: the stream must not go on delivering. */
  expire(): void {
    this.finish('expired', { reason: 'The session token has expired.' });
  }

  /** Ends the stream with a last event. */
  finish(type: string, data: string | object): void {
    if (this.closed) return;
    this.sink.send(type, this.positioned ? this.position : undefined, data);
    this.close();
    this.sink.end();
  }

  /** Stops every listener of this stream; safe to call more than once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    this.stopTyping();
    this.stopBeating();
    this.sources.observer.report({ type: 'stream-closed' });
  }

  private async catchUp(lastEventId: number | null): Promise<void> {
    const { storage } = this.sources;
    const { mailbox, owner } = this.filter;
    if (lastEventId === null) {
      const position = await storage.lastEventId(mailbox, { owner });
      if (this.closed) return;
      this.position = position;
      this.positioned = true;
      this.sink.send('ready', position, { position });
    }
    let caughtUp = lastEventId === null && !this.behind;
    while (!caughtUp) {
      this.behind = false;
      const page = await storage.eventsAfter(mailbox, { owner }, this.position, REPLAY_PAGE);
      if (this.closed) return;
      for (const event of page) {
        this.send(event);
        // A client that reads slowly slows the replay down instead of filling memory.
        if (this.sink.backedUp()) await this.sink.drained();
        if (this.closed) return;
      }
      caughtUp = page.length < REPLAY_PAGE && !this.behind;
    }
    if (!this.closed) this.live = true;
  }

  private onLive(event: ChatEvent): void {
    if (this.live) this.send(event);
    else this.behind = true;
  }

  private onTyping(event: TypingEvent): void {
    if (isTypingFor(event, this.filter)) this.sendUnstored('typing', event.data);
  }

  private send(event: ChatEvent): void {
    if (this.closed || event.id <= this.position) return; // already sent by the replay
    this.position = event.id;
    const data = toEventView(event.data, (files) =>
      this.sources.attachments.views(files, this.viewer),
    );
    this.sink.send(event.data.type, event.id, data);
  }

  /**
   * An event that is not stored carries the stream's position as its id: a client that resumes
   * from it resumes exactly where it would have. None while the stream replays (a new stream's
   * first id comes with `ready`).
   */
  private sendUnstored(type: string, data: string | object): void {
    if (this.live && !this.closed) this.sink.send(type, this.position, data);
  }
}

/** A customer's stream gets staff typing in their conversations; staff get the customers'. */
const isTypingFor = (event: TypingEvent, filter: EventFilter) =>
  event.mailbox === filter.mailbox &&
  (filter.owner === undefined
    ? event.data.side === 'customer'
    : event.owner === filter.owner && event.data.side === 'staff');
