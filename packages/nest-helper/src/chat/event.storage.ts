import type { ConversationOwner, ChatEvent, ChatEventData, EventAudience } from './chat.records.js';
import { appendEvent, eventsAfter, lastEventId } from '../storage/event-log.js';
import type { StoredEvent } from '../storage/event-feed.js';
import type { SqlDatabase } from '../storage/sql-database.js';

/**
 * The chat's event log: every change, in commit order, for the live streams and for exact resume
 * with Last-Event-ID. `record` joins the caller's transaction. Replace it through the
 * `HELPER_EVENT_STORAGE` token (docs/storage.md).
 */
export interface EventStorage {
  record(mailbox: string, owner: EventAudience, data: ChatEventData): Promise<ChatEvent>;
  /** Events after `afterId`, oldest first: a customer's (with `owner`) or a whole mailbox's. */
  eventsAfter(
    mailbox: string,
    filter: { owner?: ConversationOwner },
    afterId: number,
    limit: number,
  ): Promise<ChatEvent[]>;
  /** The id of the newest event a stream with this filter would see, 0 when there is none. */
  lastEventId(mailbox: string, filter: { owner?: ConversationOwner }): Promise<number>;
  /**
   * Calls `listener` with every event committed from now on, in id order: this instance's, and
   * with PostgreSQL every other instance's too. Answers a function that stops the calls.
   */
  watch(listener: (event: ChatEvent) => void): () => void;
}

const asChatEvent = (event: StoredEvent): ChatEvent => event as ChatEvent;

/** The default event log, in the SQL database, fanned out by its event feed. */
export class KyselyEventStorage implements EventStorage {
  constructor(readonly database: SqlDatabase) {}

  async record(mailbox: string, owner: EventAudience, data: ChatEventData): Promise<ChatEvent> {
    return asChatEvent(await appendEvent(this.database, { mailbox, owner, type: data.type, data }));
  }

  async eventsAfter(
    mailbox: string,
    filter: { owner?: ConversationOwner },
    afterId: number,
    limit: number,
  ): Promise<ChatEvent[]> {
    return (await eventsAfter(this.database, mailbox, filter, afterId, limit)).map(asChatEvent);
  }

  lastEventId(mailbox: string, filter: { owner?: ConversationOwner }): Promise<number> {
    return lastEventId(this.database, mailbox, filter);
  }

  watch(listener: (event: ChatEvent) => void): () => void {
    return this.database.feed.watch((event) => listener(asChatEvent(event)));
  }
}
