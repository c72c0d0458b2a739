import { Injectable } from '@nestjs/common';
import { notFound } from '../errors.js';
import { DEFAULT_MAILBOX, type ResolvedHelperOptions } from '../helper.options.js';
import { InjectHelperStorage, InjectResolvedHelperOptions } from '../helper.tokens.js';
import { emailOwner } from '../conversations/owners.js';
import { SettingsService } from '../settings/settings.service.js';
import type { AutoReplyStatus, HelperStorage } from '../storage/storage.js';
import type { InboundAdapter, InboundRequest } from './adapters/index.js';
import { composeAutoReply } from './auto-reply.js';
import { emailBodyForChat } from './chat-body.js';
import type { ResolvedEmailOptions } from './email.options.js';
import { ChatLinkTokens } from './link-token.js';
import { OutboxService } from './outbox.service.js';
import { hasSender, noSenderError, parseMessage } from './parse.js';
import { FEATURE_OFF, NOT_FIRST_MESSAGE, RATE_LIMITED, firstSkipReason } from './skip-rules.js';

/** The answer of every inbound endpoint (SPEC 11). */
export interface InboundAnswer {
  conversationId: string;
  duplicate: boolean;
  autoReply: AutoReplyStatus;
  skipReason?: string;
}

/**
 * The one inbound pipeline: adapter (request to raw message), mailparser, storage (conversation,
 * message and any auto-reply in one transaction, keyed by Message-ID), then an attempt to send
 * the reply at once. The request is answered only once all of it is stored.
 */
@Injectable()
export class InboundEmailService {
  constructor(
    @InjectResolvedHelperOptions() private readonly options: ResolvedHelperOptions,
    @InjectHelperStorage() private readonly storage: HelperStorage,
    private readonly settings: SettingsService,
    private readonly linkTokens: ChatLinkTokens,
    private readonly outbox: OutboxService,
  ) {}

  async receive(adapter: InboundAdapter, request: InboundRequest): Promise<InboundAnswer> {
    const email = this.emailOptions();
    const { raw } = await adapter(request, email);
    const message = await parseMessage(raw);
    // Mail from a mail system without a usable From cannot be stored for a customer yet.
    if (!hasSender(message)) throw noSenderError();
    const settings = await this.settings.get(DEFAULT_MAILBOX);
    const ruleSkip = firstSkipReason(message, { mailboxAddress: email.address });
    const featureOn = settings.autoRespondEmailToChat && settings.widgetHost !== null;
    const sender = message.from.address;
    const recipient = message.replyTo ?? sender;

    const { value } = await this.storage.recordInboundEmail({
      mailbox: DEFAULT_MAILBOX,
      owner: emailOwner(sender),
      customerEmail: sender,
      subject: message.subject || null,
      emailMessageId: message.messageId,
      threadIds: [
        ...new Set([message.inReplyTo, ...message.references].filter((id): id is string => !!id)),
      ],
      body: emailBodyForChat(message.text),
      replyRecipient: featureOn && !ruleSkip ? recipient : null,
      rateWindowMs: email.rateWindowMs,
      decide: ({ conversation, isFirstMessage, answeredWithinWindow }) => {
        if (!featureOn) return { skipReason: FEATURE_OFF };
        if (ruleSkip) return { skipReason: ruleSkip };
        if (!isFirstMessage) return { skipReason: NOT_FIRST_MESSAGE };
        if (answeredWithinWindow) return { skipReason: RATE_LIMITED };
        const { token } = this.linkTokens.issue({
          conversationId: conversation.publicId,
          email: sender,
        });
        const payload = composeAutoReply({
          original: message,
          mailboxAddress: email.address,
          from: email.from,
          widgetHost: settings.widgetHost!,
          linkToken: token,
        });
        return { draft: { recipient, replyMessageId: String(payload.messageId), payload } };
      },
    });

    let autoReply = value.autoReply;
    if (!value.duplicate && value.outboxId !== null) {
      autoReply = (await this.outbox.sendNow(value.outboxId)) ? 'sent' : 'queued';
    }
    return {
      conversationId: value.conversation.publicId,
      duplicate: value.duplicate,
      autoReply,
      ...(value.skipReason !== null ? { skipReason: value.skipReason } : {}),
    };
  }

  /** The endpoints exist whether or not email is configured; without it they are not found. */
  private emailOptions(): ResolvedEmailOptions {
    if (!this.options.email) throw notFound('Inbound email (not configured)');
    return this.options.email;
  }
}
