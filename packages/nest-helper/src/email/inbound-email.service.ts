import { Injectable, Optional } from '@nestjs/common';
import { ConversationsService } from '../chat/conversations.service.js';
import type { ConversationRecord } from '../chat/chat.records.js';
import type { OutboxStorage } from '../outbox/outbox.storage.js';
import {
  InjectConversationStorage,
  InjectEmailStorage,
  InjectOutboxStorage,
  InjectTransactions,
} from '../storage/storage.tokens.js';
import type { HelperTransactions } from '../storage/transactions.js';
import type { ConversationStorage } from '../chat/conversation.storage.js';
import { emailOwner } from '../chat/owners.js';
import { HelperMailboxes } from '../mailboxes/mailboxes.service.js';
import { SettingsService } from '../settings/settings.service.js';
import type { EmailStorage } from './email.storage.js';
import type { InboundAdapter, InboundRequest } from './adapters/index.js';
import { composeAutoReply } from './auto-reply.js';
import { emailBodyForChat } from './chat-body.js';
import type { ResolvedEmailOptions } from './email.options.js';
import { InjectEmailOptions } from './email.tokens.js';
import { ChatLinkTokens } from '../tokens/chat-link-tokens.js';
import { OutboxService } from './outbox.service.js';
import { hasSender, noSenderError, parseMessage } from './parse.js';
import { mailboxForMessage } from './recipient-mailbox.js';
import { FEATURE_OFF, NOT_FIRST_MESSAGE, RATE_LIMITED, firstSkipReason } from './skip-rules.js';

/** The answer of every inbound endpoint (docs/http-api.md). */
export interface InboundAnswer {
  conversationId: string;
  duplicate: boolean;
  autoReply: 'sent' | 'queued' | 'skipped';
  skipReason?: string;
}

/** What a message's transaction stored: enough to answer the request and send the reply. */
interface StoredInbound {
  conversation: ConversationRecord;
  duplicate: boolean;
  autoReply: InboundAnswer['autoReply'];
  skipReason: string | null;
  outboxId: number | null;
}

/**
 * The one inbound pipeline: adapter (request to raw message), mailparser, then one transaction
 * keyed by Message-ID (conversation, message, email record and any auto-reply in the outbox),
 * then an attempt to send the reply at once. The request is answered only once all of it is
 * stored (docs/email.md).
 */
@Injectable()
export class InboundEmailService {
  constructor(
    @InjectEmailOptions() private readonly email: ResolvedEmailOptions,
    @InjectTransactions() private readonly transactions: HelperTransactions,
    @InjectEmailStorage() private readonly emails: EmailStorage,
    @InjectOutboxStorage() private readonly outboxStorage: OutboxStorage,
    @InjectConversationStorage() private readonly conversationStorage: ConversationStorage,
    // Optional so that HelperEmailModule can say itself that it needs HelperChatModule.
    @Optional() private readonly conversations: ConversationsService,
    private readonly settings: SettingsService,
    private readonly linkTokens: ChatLinkTokens,
    private readonly outbox: OutboxService,
    private readonly mailboxes: HelperMailboxes,
  ) {}

  /** Receives one message for the mailbox `mailboxSlug` names, or its recipients' mailbox. */
  async receive(
    adapter: InboundAdapter,
    request: InboundRequest,
    mailboxSlug?: unknown,
  ): Promise<InboundAnswer> {
    const { email } = this;
    const { raw } = await adapter(request, email);
    const message = await parseMessage(raw);
    // Mail from a mail system without a usable From cannot be stored for a customer yet.
    if (!hasSender(message)) throw noSenderError();
    const mailbox = mailboxForMessage(message, this.mailboxes, email.address, mailboxSlug);
    const mailboxAddress = mailbox.emailAddress ?? email.address;
    const settings = await this.settings.get(mailbox.slug);
    const ruleSkip = firstSkipReason(message, { mailboxAddress });
    const featureOn = settings.autoRespondEmailToChat && settings.widgetHost !== null;
    const sender = message.from.address;
    const recipient = message.replyTo ?? sender;
    const threadIds = [
      ...new Set([message.inReplyTo, ...message.references].filter((id): id is string => !!id)),
    ].slice(0, 50);

    const stored = await this.transactions.run(async (): Promise<StoredInbound> => {
      // The same message delivered to two instances at once is stored once.
      await this.transactions.lock(`inbound ${mailbox.slug} ${message.messageId}`);
      const earlier = await this.emails.findInbound(mailbox.slug, message.messageId);
      if (earlier) {
        const conversation = await this.conversationStorage.findConversationById(
          mailbox.slug,
          earlier.conversationId,
        );
        return {
          conversation: conversation!,
          duplicate: true,
          autoReply: earlier.autoReply,
          skipReason: earlier.skipReason,
          outboxId: null,
        };
      }
      const thread = await this.findThread(mailbox.slug, threadIds);
      const chatMessage = {
        author: 'customer' as const,
        body: emailBodyForChat(message.text),
        origin: 'email' as const,
        clientId: null,
      };
      const { conversation, message: storedMessage } = (
        thread
          ? await this.conversations.appendMessage(thread, chatMessage)
          : await this.conversations.startConversation({
              mailbox: mailbox.slug,
              owner: emailOwner(sender),
              customerEmail: sender,
              subject: message.subject || null,
              origin: 'email',
              clientId: null,
              firstMessage: chatMessage,
            })
      ).value;

      const decision = await this.decide(thread === null, featureOn, ruleSkip, async () => {
        // One sender gets one reply per window, however many instances receive their mail.
        await this.transactions.lock(`reply ${mailbox.slug} ${recipient.toLowerCase()}`);
        return this.outboxStorage.queuedFor(
          mailbox.slug,
          recipient,
          new Date(Date.now() - email.rateWindowMs),
        );
      });
      const inboundId = await this.emails.recordInbound({
        mailbox: mailbox.slug,
        emailMessageId: message.messageId,
        messageId: storedMessage.id,
        autoReply: decision === null ? 'queued' : 'skipped',
        skipReason: decision,
      });
      let outboxId: number | null = null;
      if (decision === null) {
        const { token } = this.linkTokens.issue({
          conversationId: conversation.publicId,
          email: sender,
          mailbox: mailbox.slug,
        });
        const payload = composeAutoReply({
          original: message,
          mailboxAddress,
          // A mailbox with an address of its own answers from it; the others from `from`.
          from: mailbox.emailAddress ?? email.from,
          widgetHost: settings.widgetHost!,
          linkToken: token,
        });
        outboxId = await this.outboxStorage.enqueue({
          mailbox: mailbox.slug,
          recipient,
          conversationId: conversation.id,
          inboundId,
          messageId: String(payload.messageId),
          payload,
        });
      }
      return {
        conversation,
        duplicate: false,
        autoReply: decision === null ? 'queued' : 'skipped',
        skipReason: decision,
        outboxId,
      };
    });

    let { autoReply } = stored;
    if (stored.outboxId !== null) {
      autoReply = (await this.outbox.sendNow(stored.outboxId)) ? 'sent' : 'queued';
    }
    return {
      conversationId: stored.conversation.publicId,
      duplicate: stored.duplicate,
      autoReply,
      ...(stored.skipReason !== null ? { skipReason: stored.skipReason } : {}),
    };
  }

  /** The reason for no auto-reply, in the order reasons are reported; null to answer. */
  private async decide(
    isFirstMessage: boolean,
    featureOn: boolean,
    ruleSkip: string | null,
    answeredWithinWindow: () => Promise<boolean>,
  ): Promise<string | null> {
    if (ruleSkip) return ruleSkip;
    if (!featureOn) return FEATURE_OFF;
    if (!isFirstMessage) return NOT_FIRST_MESSAGE;
    if (await answeredWithinWindow()) return RATE_LIMITED;
    return null;
  }

  /** The conversation an email answers: one of its stored emails, or one of our replies. */
  private async findThread(
    mailbox: string,
    threadIds: string[],
  ): Promise<ConversationRecord | null> {
    const id =
      (await this.emails.conversationOfEmails(mailbox, threadIds)) ??
      (await this.outboxStorage.conversationOfMessageIds(mailbox, threadIds));
    return id === null ? null : this.conversationStorage.findConversationById(mailbox, id);
  }
}
