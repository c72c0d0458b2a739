import { Injectable, Optional } from '@nestjs/common';
import { AttachmentsService } from '../attachments/attachments.service.js';
import { ConversationsService, type KeepFiles } from '../chat/conversations.service.js';
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
import { HelperObserver } from '../observability/helper-observer.js';
import { SettingsService } from '../settings/settings.service.js';
import type { EmailStorage } from './email.storage.js';
import type { InboundAdapter, InboundRequest } from './adapters/index.js';
import { composeAutoReply } from './auto-reply.js';
import { unauthorized } from './email-errors.js';
import { HelperHttpError } from '../errors.js';
import { emailBodyForChat } from './chat-body.js';
import { withoutQuote } from './reply-text.js';
import type { ResolvedEmailOptions } from './email.options.js';
import { InjectEmailOptions } from './email.tokens.js';
import { ChatLinkTokens } from '../tokens/chat-link-tokens.js';
import { OutboxService } from '../outbox/outbox.service.js';
import { createHash } from 'node:crypto';
import type { ResolvedMailbox } from '../helper.options.js';
import {
  parseMessage,
  unparseableMessage,
  type InboundMessage,
  type ParsedMessage,
} from './parse.js';
import { couldBeOwnMessageId } from './own-message-id.js';
import { mailboxForMessage } from './recipient-mailbox.js';
import { replyRecipient } from './reply-recipient.js';
import {
  FEATURE_OFF,
  NOT_FIRST_MESSAGE,
  RATE_LIMITED,
  REPLY_BUDGET,
  UNAUTHENTICATED_SENDER,
  UNPARSEABLE,
  firstSkipReason,
} from './skip-rules.js';
import { storedSubject } from './subject.js';
import { verifySender } from './sender-verification.js';
import type { WidgetSettings as Settings } from '@helperkit/core';
import { HelperEventPublisher } from '../events/helper-event-publisher.js';
import { emailReceived } from '../events/event-data.js';

/** The answer of every inbound endpoint (docs/http-api.md). */
export interface InboundAnswer {
  conversationId: string;
  duplicate: boolean;
  autoReply: 'sent' | 'queued' | 'skipped';
  skipReason?: string;
}

/** What a message's transaction stored: enough to answer the request. */
interface StoredInbound {
  conversation: ConversationRecord;
  duplicate: boolean;
  autoReply: InboundAnswer['autoReply'];
  skipReason: string | null;
}

const HOUR_MS = 60 * 60 * 1000;

/** A conversation of its own for mail no customer may see: keyed by the message, never shared. */
const unverifiedOwner = (message: ParsedMessage) =>
  `unverified:${createHash('sha256').update(message.messageId).digest('base64url').slice(0, 22)}` as const;

/**
 * The one inbound pipeline: adapter (request to raw message), mailparser, sender authentication,
 * loop rules, then one transaction keyed by Message-ID (conversation, message, email record and any
 * auto-reply in the outbox, which sends it right after the commit). The request is answered only
 * once all of it is stored, and does not wait for the SMTP server (docs/email.md).
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
    private readonly publisher: HelperEventPublisher,
    private readonly observer: HelperObserver,
    @Optional() private readonly attachments: AttachmentsService,
  ) {}

  /** Receives one message for the mailbox `mailboxSlug` names, or its recipients' mailbox. */
  async receive(
    adapter: InboundAdapter,
    request: InboundRequest,
    mailboxSlug?: unknown,
  ): Promise<InboundAnswer> {
    const inbound = await adapter(request, this.email);
    // With the chat's attachments, the parse keeps the files too: the message is parsed once.
    const message = await parseMessage(inbound.raw, {
      fileBytes: this.attachments?.emailFileBytes,
    }).catch((error: unknown) => {
      // A provider drops what it cannot deliver: keep it for staff instead (docs/email.md).
      if (inbound.keepUnparseable && isMalformed(error)) return unparseableMessage(inbound.raw);
      throw error;
    });
    const mailbox = mailboxForMessage(message, this.mailboxes, this.email.address, mailboxSlug);
    const settings = await this.settings.get(mailbox.slug);
    const ruleSkip = message.unparseable
      ? UNPARSEABLE
      : firstSkipReason(message, {
          mailboxAddress: mailbox.emailAddress ?? this.email.address,
          isOwnMessageId:
            (await this.ownConversationOf(mailbox.slug, [message.messageId])) !== null,
        });
    const verified = message.from !== null && verifySender(message, inbound, this.email).verified;
    const keepFiles = this.filesOf(message);

    const stored = await this.transactions.run(async (): Promise<StoredInbound> => {
      // The same message delivered to two instances at once is stored once.
      await this.transactions.lock(`inbound ${mailbox.slug} ${message.messageId}`);
      if (inbound.singleUseToken !== undefined) {
        await this.transactions.lock(`token ${inbound.singleUseToken}`);
        const use = await this.emails.useProviderToken(inbound.singleUseToken, message.messageId);
        if (use === 'other-message') throw replayedToken();
      }
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
        };
      }
      return verified
        ? this.storeFromCustomer(message as InboundMessage, mailbox, settings, ruleSkip, keepFiles)
        : this.storeApart(message, mailbox, ruleSkip ?? UNAUTHENTICATED_SENDER, keepFiles);
    });

    const outcome = stored.duplicate ? 'duplicate' : (stored.skipReason ?? stored.autoReply);
    this.observer.report({ type: 'email-received', mailbox: mailbox.slug, outcome });
    return {
      conversationId: stored.conversation.publicId,
      duplicate: stored.duplicate,
      autoReply: stored.autoReply,
      ...(stored.skipReason !== null ? { skipReason: stored.skipReason } : {}),
    };
  }

  /**
   * Mail that no customer may see: from a sender that could not be authenticated (its From may be
   * forged), or a mail system's report without a sender. Kept in a conversation of its own for
   * staff, never joined to another, never answered (docs/security-model.md, "Email senders").
   */
  private async storeApart(
    message: ParsedMessage,
    mailbox: ResolvedMailbox,
    skipReason: string,
    keepFiles: KeepFiles | undefined,
  ): Promise<StoredInbound> {
    const { value } = await this.conversations.startConversation(
      {
        mailbox: mailbox.slug,
        owner: unverifiedOwner(message),
        customerEmail: message.from?.address ?? null,
        subject: storedSubject(message.subject),
        origin: 'email',
        clientId: null,
        firstMessage: {
          author: 'customer',
          body: emailBodyForChat((await this.bounceNote(message, mailbox)) + message.text),
          origin: 'email',
          clientId: null,
        },
      },
      keepFiles,
    );
    await this.emails.recordInbound({
      mailbox: mailbox.slug,
      emailMessageId: message.messageId,
      messageId: value.message.id,
      autoReply: 'skipped',
      skipReason,
    });
    await this.publisher.publish(
      emailReceived(value, { emailMessageId: message.messageId, autoReply: 'skipped', skipReason }),
    );
    return {
      conversation: value.conversation,
      duplicate: false,
      autoReply: 'skipped',
      skipReason,
    };
  }

  /** For a bounce: whose address failed and which conversation our bounced email belonged to. */
  private async bounceNote(message: ParsedMessage, mailbox: ResolvedMailbox): Promise<string> {
    const bounce = message.bounce;
    if (bounce === null || bounce.failedRecipients.length === 0) return '';
    // Only one of our own Message-IDs links it: the report's claims are the sender's word.
    const conversationId =
      bounce.originalMessageId === null
        ? null
        : await this.ownConversationOf(mailbox.slug, [bounce.originalMessageId]);
    const conversation =
      conversationId === null
        ? null
        : await this.conversationStorage.findConversationById(mailbox.slug, conversationId);
    return (
      `Delivery failed to: ${bounce.failedRecipients.join(', ')}.` +
      (conversation ? ` It was our email in conversation ${conversation.publicId}.` : '') +
      '\n\n'
    );
  }

  /** Mail from an authenticated customer: joins their thread, and may be answered. */
  private async storeFromCustomer(
    message: InboundMessage,
    mailbox: ResolvedMailbox,
    settings: Settings,
    ruleSkip: string | null,
    keepFiles: KeepFiles | undefined,
  ): Promise<StoredInbound> {
    const { email } = this;
    const sender = message.from.address;
    const recipient = replyRecipient(message);
    const thread = await this.findThread(mailbox.slug, message, emailOwner(sender));
    // An answer in a thread loses its quote; an automatic one (an out-of-office…) is a note for
    // staff, never the customer's message (docs/email.md, "Continuity").
    const chatMessage = {
      author: thread && ruleSkip ? ('note' as const) : ('customer' as const),
      body: emailBodyForChat(thread ? withoutQuote(message.text) : message.text),
      origin: 'email' as const,
      clientId: null,
    };
    const { conversation, message: storedMessage } = (
      thread
        ? await this.conversations.appendMessage(thread, chatMessage, keepFiles)
        : await this.conversations.startConversation(
            {
              mailbox: mailbox.slug,
              owner: emailOwner(sender),
              customerEmail: sender,
              subject: storedSubject(message.subject),
              origin: 'email',
              clientId: null,
              firstMessage: chatMessage,
            },
            keepFiles,
          )
    ).value;

    const skipReason = await this.skipReason(mailbox.slug, recipient, {
      ruleSkip,
      featureOn: settings.autoRespondEmailToChat && settings.widgetHost !== null,
      isFirstMessage: thread === null,
    });
    const inboundId = await this.emails.recordInbound({
      mailbox: mailbox.slug,
      emailMessageId: message.messageId,
      messageId: storedMessage.id,
      autoReply: skipReason === null ? 'queued' : 'skipped',
      skipReason,
    });
    await this.publisher.publish(
      emailReceived(
        { conversation, message: storedMessage },
        {
          emailMessageId: message.messageId,
          autoReply: skipReason === null ? 'queued' : 'skipped',
          skipReason,
        },
      ),
    );
    if (skipReason === null) {
      const { token } = this.linkTokens.issue({
        conversationId: conversation.publicId,
        email: sender,
        mailbox: mailbox.slug,
      });
      const payload = composeAutoReply({
        original: message,
        recipient,
        mailboxAddress: mailbox.emailAddress ?? email.address,
        // A mailbox with an address of its own answers from it; the others from `from`.
        from: mailbox.emailAddress ?? email.from,
        widgetHost: settings.widgetHost!,
        linkToken: token,
      });
      // Sent once this transaction commits (docs/email.md, "Sending the reply").
      await this.outbox.enqueueAndDeliver({
        kind: 'email',
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
      autoReply: skipReason === null ? 'queued' : 'skipped',
      skipReason,
    };
  }

  /**
   * The email's files, read by its parse before its transaction and kept with its message, within
   * the chat's limits and types; refused parts are recorded for staff (docs/email.md,
   * "Attachments").
   */
  private filesOf(message: ParsedMessage): KeepFiles | undefined {
    if (!this.attachments || message.files.length === 0) return undefined;
    return (conversation, stored) =>
      this.attachments.keepEmailFiles(conversation, stored.id, message.files);
  }

  /** The reason for no auto-reply, in the order reasons are reported; null to answer. */
  private async skipReason(
    mailbox: string,
    recipient: string,
    facts: { ruleSkip: string | null; featureOn: boolean; isFirstMessage: boolean },
  ): Promise<string | null> {
    if (facts.ruleSkip) return facts.ruleSkip;
    if (!facts.featureOn) return FEATURE_OFF;
    if (!facts.isFirstMessage) return NOT_FIRST_MESSAGE;
    // One sender gets one reply per window, however many instances receive their mail.
    await this.transactions.lock(`reply ${mailbox} ${recipient.toLowerCase()}`);
    const now = Date.now();
    if (
      await this.outboxStorage.queuedFor(
        mailbox,
        recipient,
        new Date(now - this.email.rateWindowMs),
      )
    ) {
      return RATE_LIMITED;
    }
    await this.transactions.lock(`reply budget ${mailbox}`);
    const budget = this.email.maxAutoRepliesPerHour;
    const lastHour = await this.outboxStorage.countSince(mailbox, new Date(now - HOUR_MS), {
      upTo: budget,
    });
    return lastHour >= budget ? REPLY_BUDGET : null;
  }

  /**
   * The conversation (internal id) one of these Message-IDs of our own emails belongs to. Only ids
   * of our shape are looked up: most mail names none, and the outbox has no index to find a
   * Message-ID by (docs/email.md, "Our Message-IDs").
   */
  private ownConversationOf(
    mailbox: string,
    messageIds: readonly string[],
  ): Promise<number | null> {
    const candidates = messageIds.filter(couldBeOwnMessageId);
    if (candidates.length === 0) return Promise.resolve(null);
    return this.outboxStorage.conversationOfMessageIds(mailbox, candidates);
  }

  /**
   * The conversation an email answers (one of its stored emails, or one of our replies), when it
   * belongs to this sender: a stranger's In-Reply-To never joins someone else's conversation.
   */
  private async findThread(
    mailbox: string,
    message: InboundMessage,
    owner: ConversationRecord['owner'],
  ): Promise<ConversationRecord | null> {
    const threadIds = [
      ...new Set([message.inReplyTo, ...message.references].filter((id): id is string => !!id)),
    ].slice(0, 50);
    const id =
      (await this.emails.conversationOfEmails(mailbox, threadIds)) ??
      (await this.ownConversationOf(mailbox, threadIds));
    const conversation =
      id === null ? null : await this.conversationStorage.findConversationById(mailbox, id);
    return conversation?.owner === owner ? conversation : null;
  }
}

const isMalformed = (error: unknown): boolean =>
  error instanceof HelperHttpError && error.code === 'malformed_message';

/** A captured signature sent again with another message: a replay, not the provider. */
const replayedToken = () =>
  unauthorized(
    'The Mailgun token was already used for another message: signatures are single-use.',
  );
