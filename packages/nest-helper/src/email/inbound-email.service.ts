import { Injectable } from '@nestjs/common';
import { InjectHelperStorage } from '../helper.tokens.js';
import { emailOwner } from '../chat/owners.js';
import { HelperMailboxes } from '../mailboxes/mailboxes.service.js';
import { SettingsService } from '../settings/settings.service.js';
import type { AutoReplyStatus, HelperStorage } from '../storage/storage.js';
import type { InboundAdapter, InboundRequest } from './adapters/index.js';
import { composeAutoReply } from './auto-reply.js';
import { emailBodyForChat } from './chat-body.js';
import type { ResolvedEmailOptions } from './email.options.js';
import { InjectEmailOptions } from './email.tokens.js';
import { ChatLinkTokens } from '../tokens/chat-link-tokens.js';
import { OutboxService } from './outbox.service.js';
import { parseMessage } from './parse.js';
import { mailboxForMessage } from './recipient-mailbox.js';
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
    @InjectEmailOptions() private readonly email: ResolvedEmailOptions,
    @InjectHelperStorage() private readonly storage: HelperStorage,
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
    const mailbox = mailboxForMessage(message, this.mailboxes, email.address, mailboxSlug);
    const mailboxAddress = mailbox.emailAddress ?? email.address;
    const settings = await this.settings.get(mailbox.slug);
    const ruleSkip = firstSkipReason(message, { mailboxAddress });
    const featureOn = settings.autoRespondEmailToChat && settings.widgetHost !== null;
    const sender = message.from.address;
    const recipient = message.replyTo ?? sender;

    const { value } = await this.storage.recordInboundEmail({
      mailbox: mailbox.slug,
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
}
