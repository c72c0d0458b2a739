import { Injectable, Optional } from '@nestjs/common';
import { InjectCustomerReadState, type CustomerReadState } from '../chat/customer-read-state.js';
import type { OutboxEntry, OutboxStorage } from '../outbox/outbox.storage.js';
import { InjectOutboxStorage, InjectTransactions } from '../storage/storage.tokens.js';
import type { HelperTransactions } from '../storage/transactions.js';
import { BUDGET, READ, RECENT_EMAIL, SWITCHED_OFF } from './continuity-reasons.js';
import { ContinuityStorage } from './continuity.storage.js';
import type { EmailPrecondition } from './email-precondition.js';
import type { ResolvedEmailOptions } from './email.options.js';
import { InjectEmailOptions } from './email.tokens.js';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Decides, when a continuity email is due, whether it still goes out (docs/email.md,
 * "Continuity"): not when the customer has read its newest reply meanwhile, not when another went
 * to the conversation within the hour, not beyond the mailbox's hourly budget. Other emails pass.
 */
@Injectable()
export class ContinuityCheck implements EmailPrecondition {
  constructor(
    @InjectEmailOptions() private readonly email: ResolvedEmailOptions,
    // Optional so that HelperEmailModule can say itself that it needs HelperChatModule.
    @Optional() @InjectCustomerReadState() private readonly readState: CustomerReadState,
    @InjectOutboxStorage() private readonly outbox: OutboxStorage,
    @InjectTransactions() private readonly transactions: HelperTransactions,
    private readonly continuity: ContinuityStorage,
  ) {}

  async cancelReason(entry: OutboxEntry): Promise<string | null> {
    // An auto-reply answers an inbound email: nothing to check.
    if (entry.inboundId !== null) return null;
    const replies = await this.continuity.messagesOf(entry.id);
    if (replies.length === 0 || entry.conversationId === null) return null;
    if (!this.email.continuity) return SWITCHED_OFF;
    // Read state is a high-water mark: the newest reply read means all of them were.
    if (await this.readState.hasCustomerRead(entry.conversationId, replies.at(-1)!)) return READ;
    const hourAgo = new Date(Date.now() - HOUR_MS);
    if (await this.continuity.sentSince(entry.conversationId, hourAgo)) return RECENT_EMAIL;
    return this.transactions.run(async () => {
      // The same lock as the auto-replies' budget check: one count at a time per mailbox.
      await this.transactions.lock(`reply budget ${entry.mailbox}`);
      const budget = this.email.maxAutoRepliesPerHour;
      const used = await this.outbox.countSince(entry.mailbox, hourAgo, {
        except: entry.id,
        upTo: budget,
      });
      return used >= budget ? BUDGET : null;
    });
  }
}
