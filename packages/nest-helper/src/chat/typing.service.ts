import { Injectable } from '@nestjs/common';
import type { EphemeralEvent } from '../storage/event-feed.js';
import type { SqlDatabase } from '../storage/sql-database.js';
import { InjectHelperDatabase } from '../storage/storage.tokens.js';
import type { ConversationRecord } from './chat.records.js';
import type { ReadSide } from './read-state.storage.js';
import { TypingThrottle } from './typing-throttle.js';
import type { TypingEventView } from './views.js';

/** A typing notice on its way to the streams of every instance. */
export interface TypingEvent extends EphemeralEvent {
  data: TypingEventView;
}

/**
 * "Someone is typing": passed to the other side's live streams, throttled, never stored
 * (docs/protocol.md, "Typing"). It travels through the database's event feed, so a stream on
 * another instance gets it too.
 */
@Injectable()
export class TypingService {
  private readonly throttle = new TypingThrottle();

  constructor(@InjectHelperDatabase() private readonly database: SqlDatabase) {}

  /** Passes the notice on unless this side sent one for this conversation in the last 3 s. */
  async typing(conversation: ConversationRecord, side: ReadSide): Promise<void> {
    if (!this.throttle.accept(`${conversation.id}:${side}`)) return;
    const event: TypingEvent = {
      mailbox: conversation.mailbox,
      owner: conversation.owner,
      data: { type: 'typing', conversationId: conversation.publicId, side },
    };
    await this.database.feed.broadcast(event);
  }

  /** Calls `listener` with every typing notice from now on, this instance's and the others'. */
  watch(listener: (event: TypingEvent) => void): () => void {
    return this.database.feed.watchEphemeral((event) => {
      if (isTypingEvent(event)) listener(event);
    });
  }
}

const isTypingEvent = (event: EphemeralEvent): event is TypingEvent =>
  typeof event.data === 'object' &&
  event.data !== null &&
  (event.data as { type?: unknown }).type === 'typing';
