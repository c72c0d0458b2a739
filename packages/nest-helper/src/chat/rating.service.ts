import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { HelperHttpError } from '../errors.js';
import { ratingCreated } from '../events/event-data.js';
import { HelperEventPublisher } from '../events/helper-event-publisher.js';
import { InjectEventStorage, InjectTransactions } from '../storage/storage.tokens.js';
import type { HelperTransactions } from '../storage/transactions.js';
import type { ConversationRecord } from './chat.records.js';
import { HELPER_RATING_STORAGE } from './chat.tokens.js';
import type { EventStorage } from './event.storage.js';
import type { RatingRecord, RatingStorage, RatingValue } from './rating.storage.js';

/** The customer's rating of a closed conversation: once, seen by staff. */
@Injectable()
export class RatingService {
  constructor(
    @Inject(HELPER_RATING_STORAGE) private readonly storage: RatingStorage,
    @InjectEventStorage() private readonly events: EventStorage,
    @InjectTransactions() private readonly transactions: HelperTransactions,
    private readonly publisher: HelperEventPublisher,
  ) {}

  /** 409 `conversation_open` before it is closed, 409 `already_rated` the second time. */
  async rate(
    conversation: ConversationRecord,
    input: { rating: RatingValue; comment: string | null },
  ): Promise<RatingRecord> {
    if (conversation.status !== 'closed') {
      throw new HelperHttpError(
        HttpStatus.CONFLICT,
        'conversation_open',
        'A conversation can be rated once it is closed.',
      );
    }
    const stored = await this.transactions.run(async () => {
      const rated = await this.storage.rate(conversation.id, input);
      if (rated.created) {
        await this.publisher.publish(ratingCreated(conversation, rated.value));
        // The event last: it holds its mailbox's ordering lock to the commit (docs/storage.md).
        await this.events.record(conversation.mailbox, conversation.owner, {
          type: 'rating',
          conversation,
          rating: rated.value,
        });
      }
      return rated;
    });
    if (!stored.created) {
      throw new HelperHttpError(
        HttpStatus.CONFLICT,
        'already_rated',
        'This conversation has been rated already.',
      );
    }
    return stored.value;
  }

  /** Each conversation's rating (`null`: none yet), in order. */
  async ratings(conversations: readonly ConversationRecord[]): Promise<Array<RatingRecord | null>> {
    const ratings = await this.storage.ratings(
      conversations.map((conversation) => conversation.id),
    );
    return conversations.map((conversation) => ratings.get(conversation.id) ?? null);
  }
}
