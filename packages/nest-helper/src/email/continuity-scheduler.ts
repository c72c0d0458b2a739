import { buildChatLink } from '@helperkit/core';
import { Injectable, Optional } from '@nestjs/common';
import type { ConversationRecord, MessageRecord } from '../chat/chat.records.js';
import { InjectCustomerReadState, type CustomerReadState } from '../chat/customer-read-state.js';
import type { StaffReplyListener } from '../chat/staff-reply-listener.js';
import { HelperMailboxes } from '../mailboxes/mailboxes.service.js';
import type { OutboxStorage } from '../outbox/outbox.storage.js';
import { SettingsService } from '../settings/settings.service.js';
import { InjectOutboxStorage, InjectTransactions } from '../storage/storage.tokens.js';
import type { HelperTransactions } from '../storage/transactions.js';
import { ChatLinkTokens } from '../tokens/chat-link-tokens.js';
import { composeContinuityEmail } from './continuity-email.js';
import { REPLACED } from './continuity-reasons.js';
import { ContinuityStorage } from './continuity.storage.js';
import type { ResolvedEmailOptions } from './email.options.js';
import { InjectEmailOptions } from './email.tokens.js';

/**
 * Queues the continuity email of a staff reply, in the reply's transaction (docs/email.md,
 * "Continuity"): due `unseenReplyDelayMs` later, for conversations of identified customers only.
 * Replies in a row make one email: a newer reply replaces the waiting email with one that carries
 * every reply still unread, due when the first was.
 */
@Injectable()
export class ContinuityScheduler implements StaffReplyListener {
  constructor(
    @InjectEmailOptions() private readonly email: ResolvedEmailOptions,
    @InjectOutboxStorage() private readonly outbox: OutboxStorage,
    @InjectTransactions() private readonly transactions: HelperTransactions,
    // Optional so that HelperEmailModule can say itself that it needs HelperChatModule.
    @Optional() @InjectCustomerReadState() private readonly readState: CustomerReadState,
    private readonly continuity: ContinuityStorage,
    private readonly settings: SettingsService,
    private readonly mailboxes: HelperMailboxes,
    private readonly linkTokens: ChatLinkTokens,
  ) {}

  async staffReplied(conversation: ConversationRecord, message: MessageRecord): Promise<void> {
    const customer = conversation.customerEmail;
    // Anonymous visitors have no address; an unverified sender's address may be forged.
    if (!this.email.continuity || customer === null || !conversation.owner.startsWith('email:')) {
      return;
    }
    // Two replies at once (two instances) must not both keep the same waiting email.
    await this.transactions.lock(`continuity ${conversation.id}`);
    const { carried, notBefore } = await this.replaceWaiting(conversation.id);
    const replyIds = [...carried, message.id];
    const replies = await this.continuity.replies(conversation.id, replyIds);
    const payload = composeContinuityEmail({
      to: customer,
      ...this.sender(conversation.mailbox),
      subject: conversation.subject,
      replies: replies.map((reply) => reply.body),
      thread: await this.continuity.threadIds(conversation.id),
      chatLink: await this.chatLink(conversation, customer),
    });
    const outboxId = await this.outbox.enqueue({
      kind: 'email',
      mailbox: conversation.mailbox,
      recipient: customer,
      conversationId: conversation.id,
      messageId: String(payload.messageId),
      notBefore: notBefore ?? new Date(Date.now() + this.email.unseenReplyDelayMs),
      payload,
    });
    await this.continuity.link(outboxId, replyIds);
  }

  /**
   * Cancels the conversation's waiting email, if no instance is sending it right now, and answers
   * the replies it carried that are still unread and when it was due.
   */
  private async replaceWaiting(
    conversationId: number,
  ): Promise<{ carried: number[]; notBefore: Date | null }> {
    const waiting = await this.continuity.pending(conversationId);
    if (!waiting || !(await this.outbox.cancel(waiting.outboxId, REPLACED))) {
      return { carried: [], notBefore: null };
    }
    const carried: number[] = [];
    for (const id of waiting.messageIds) {
      if (!(await this.readState.hasCustomerRead(conversationId, id))) carried.push(id);
    }
    return { carried, notBefore: waiting.notBefore };
  }

  /** The mailbox's own address when it has one, else the module's `from`. */
  private sender(slug: string): { from: string; mailboxAddress: string } {
    const own = this.mailboxes.get(slug).emailAddress;
    return { from: own ?? this.email.from, mailboxAddress: own ?? this.email.address };
  }

  /** The signed link that opens the conversation, as the auto-reply's; none without a widgetHost. */
  private async chatLink(conversation: ConversationRecord, email: string): Promise<string | null> {
    const { widgetHost } = await this.settings.get(conversation.mailbox);
    if (widgetHost === null) return null;
    const { token } = this.linkTokens.issue({
      conversationId: conversation.publicId,
      email,
      mailbox: conversation.mailbox,
    });
    return buildChatLink(widgetHost, token);
  }
}
