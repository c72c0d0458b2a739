import { Inject, Injectable } from '@nestjs/common';
import { validationFailed } from '../errors.js';
import { InjectEventStorage, InjectTransactions } from '../storage/storage.tokens.js';
import type { HelperTransactions } from '../storage/transactions.js';
import type { ConversationRecord } from './chat.records.js';
import { HELPER_READ_STATE_STORAGE } from './chat.tokens.js';
import type { EventStorage } from './event.storage.js';
import type { ReadSide, ReadStateStorage } from './read-state.storage.js';

/** The answer to a read: the side's mark and what is still unread after it. */
export interface ReadResult {
  lastReadId: number;
  unreadCount: number;
}

/** Read state of both sides: marks move forward only, each move is a `read` event for both. */
@Injectable()
export class ReadStateService {
  constructor(
    @Inject(HELPER_READ_STATE_STORAGE) private readonly storage: ReadStateStorage,
    @InjectEventStorage() private readonly events: EventStorage,
    @InjectTransactions() private readonly transactions: HelperTransactions,
  ) {}

  /**
   * Records that `side` has read up to the message `upTo` of this conversation. A mark already
   * further stays where it is and records nothing: tabs and devices report out of order.
   */
  async markRead(
    conversation: ConversationRecord,
    side: ReadSide,
    upTo: number,
  ): Promise<ReadResult> {
    if (!(await this.storage.isMessageOf(conversation.id, upTo))) {
      throw validationFailed(
        [
          {
            field: 'upTo',
            code: 'invalid_choice',
            message: 'upTo must be the id of a message of this conversation.',
          },
        ],
        'upTo is not a message of this conversation.',
      );
    }
    const lastReadId = await this.transactions.run(async () => {
      const mark = await this.storage.markRead(conversation.id, side, upTo);
      if (mark.created) {
        await this.events.record(conversation.mailbox, conversation.owner, {
          type: 'read',
          conversation,
          side,
          lastReadId: mark.value,
        });
      }
      return mark.value;
    });
    const [unreadCount] = await this.unreadCounts([conversation], side);
    return { lastReadId, unreadCount: unreadCount! };
  }

  /** How many of the other side's messages `side` has not read, per conversation, in order. */
  async unreadCounts(
    conversations: readonly ConversationRecord[],
    side: ReadSide,
  ): Promise<number[]> {
    const counts = await this.storage.unreadCounts(
      conversations.map((conversation) => conversation.id),
      side,
    );
    return conversations.map((conversation) => counts.get(conversation.id) ?? 0);
  }

  /** The customer's mark of each conversation (`null`: nothing read yet), in order. */
  async customerLastReadIds(
    conversations: readonly ConversationRecord[],
  ): Promise<Array<number | null>> {
    const marks = await this.storage.lastReadIds(
      conversations.map((conversation) => conversation.id),
      'customer',
    );
    return conversations.map((conversation) => marks.get(conversation.id) ?? null);
  }
}
