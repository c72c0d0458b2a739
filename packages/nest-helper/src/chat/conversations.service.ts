import { HttpStatus, Inject, Injectable, Optional } from '@nestjs/common';
import { ChatLinkTokens } from '../tokens/chat-link-tokens.js';
import { HelperHttpError, notFound } from '../errors.js';
import type { WidgetSession } from '../identity/session-tokens.js';
import type { CustomerStorage } from '../identity/customer.storage.js';
import {
  InjectConversationStorage,
  InjectCustomerStorage,
  InjectEventStorage,
  InjectTransactions,
} from '../storage/storage.tokens.js';
import type { HelperTransactions } from '../storage/transactions.js';
import { ownerOf } from './owners.js';
import type {
  ConversationRecord,
  ConversationStatus,
  MessageRecord,
  NewConversation,
  NewMessage,
  Page,
  Written,
} from './chat.records.js';
import type { ConversationStorage } from './conversation.storage.js';
import type { EventStorage } from './event.storage.js';
import { HELPER_STAFF_MESSAGE_DETAILS, type StaffMessageDetails } from './staff-message-details.js';
import type {
  ConversationSummary,
  EmailDelivery,
  ConversationView,
  MessagePage,
  MessageView,
  StaffConversationSummary,
  StaffMessagePage,
} from '@helperkit/core';
import { toConversationView, toMessageView } from './views.js';
import { STAFF_VIEWER } from '../attachments/attachment-links.js';
import type { AttachmentSummary } from '../attachments/attachment.records.js';
import { AttachmentsService, type MessageFiles } from '../attachments/attachments.service.js';
import type { Viewer } from '../attachments/attachment-views.js';

/** Keeps the files of a message just stored, in its transaction (uploads, or an email's parts). */
export type KeepFiles = (
  conversation: ConversationRecord,
  message: MessageRecord,
) => Promise<AttachmentSummary[]>;

const NO_FILES: KeepFiles = async () => [];

export interface PostedMessage {
  message: MessageView;
  /** False when the client id matched an earlier post: nothing new was stored. */
  created: boolean;
}

export const DEFAULT_PAGE_SIZE = 30;
export const MAX_PAGE_SIZE = 100;
const PREVIEW_LENGTH = 160;

/** Conversations between customers and staff: who may see what, and what changes. */
@Injectable()
export class ConversationsService {
  constructor(
    @InjectConversationStorage() private readonly storage: ConversationStorage,
    @InjectEventStorage() private readonly events: EventStorage,
    @InjectCustomerStorage() private readonly customers: CustomerStorage,
    @Optional()
    @Inject(HELPER_STAFF_MESSAGE_DETAILS)
    private readonly details: StaffMessageDetails | null,
    @InjectTransactions() private readonly transactions: HelperTransactions,
    private readonly linkTokens: ChatLinkTokens,
    private readonly attachments: AttachmentsService,
  ) {}

  /**
   * Starts a conversation with its first message and records its event, in one transaction (the
   * caller's, when it runs in one: an inbound email's).
   */
  startConversation(
    input: NewConversation,
    keepFiles: KeepFiles = NO_FILES,
  ): Promise<Written<{ conversation: ConversationRecord; message: MessageRecord }>> {
    return this.transactions.run(async () => {
      const stored = await this.storage.createConversation(input);
      if (stored.created) await this.recordMessage(stored.value, keepFiles);
      return stored;
    });
  }

  /** Adds a message with its files and records its event, in one transaction. */
  appendMessage(
    conversation: ConversationRecord,
    message: NewMessage,
    keepFiles: KeepFiles = NO_FILES,
  ): Promise<Written<{ conversation: ConversationRecord; message: MessageRecord }>> {
    return this.transactions.run(async () => {
      const stored = await this.storage.addMessage(conversation, message);
      if (stored.created) await this.recordMessage(stored.value, keepFiles);
      return stored;
    });
  }

  /** Keeps the new message's files, then its event: a refused file stores neither. */
  private async recordMessage(
    { conversation, message }: { conversation: ConversationRecord; message: MessageRecord },
    keepFiles: KeepFiles,
  ) {
    const attachments = await keepFiles(conversation, message);
    await this.events.record(conversation.mailbox, conversation.owner, {
      type: 'message',
      conversation,
      message,
      attachments,
    });
  }

  async listForCustomer(session: WidgetSession, page: Page): Promise<ConversationSummary[]> {
    const conversations = await this.storage.listConversations(
      session.mailbox,
      { owner: ownerOf(session) },
      page,
    );
    return this.summarise(conversations);
  }

  async startForCustomer(
    session: WidgetSession,
    input: { body: string; clientId: string | null },
  ): Promise<{ conversation: ConversationSummary; message: MessageView; created: boolean }> {
    const stored = await this.startConversation({
      mailbox: session.mailbox,
      owner: ownerOf(session),
      customerEmail: session.kind === 'identified' ? session.email : null,
      subject: null,
      origin: 'chat',
      clientId: input.clientId,
      firstMessage: {
        author: 'customer',
        body: input.body,
        origin: 'chat',
        clientId: input.clientId,
      },
    });
    const { conversation, message } = stored.value;
    const [summary] = await this.summarise([conversation]);
    return {
      conversation: summary!,
      message: toMessageView(message, conversation),
      created: stored.created,
    };
  }

  async messagesForCustomer(
    session: WidgetSession,
    publicId: string,
    options: { before?: number; limit: number },
  ) {
    const { messages, nextBefore } = await this.messagePage(
      await this.customersConversation(session, publicId),
      options,
      { viewer: ownerOf(session), mailbox: session.mailbox },
    );
    return { messages, nextBefore };
  }

  async postForCustomer(
    session: WidgetSession,
    publicId: string,
    input: { body: string; clientId: string; attachmentIds: readonly string[] },
  ): Promise<PostedMessage> {
    const conversation = await this.customersConversation(session, publicId);
    return this.post(
      conversation,
      { author: 'customer', body: input.body, origin: 'chat', clientId: input.clientId },
      input.attachmentIds,
    );
  }

  async listForStaff(
    mailbox: string,
    status: ConversationStatus | undefined,
    page: Page,
  ): Promise<StaffConversationSummary[]> {
    const conversations = await this.storage.listConversations(mailbox, { status }, page);
    const summaries = await this.summarise(conversations);
    return Promise.all(
      summaries.map(async (summary, index) => ({
        ...summary,
        customer: await this.customerOf(conversations[index]!),
        senderVerified: !conversations[index]!.owner.startsWith('unverified:'),
      })),
    );
  }

  /** A page of messages with, for those that came by email, how each was answered. */
  async messagesForStaff(
    mailbox: string,
    publicId: string,
    options: { before?: number; limit: number },
  ): Promise<StaffMessagePage> {
    const { messages, nextBefore, files } = await this.messagePage(
      await this.staffConversation(mailbox, publicId),
      options,
      { viewer: STAFF_VIEWER, mailbox },
    );
    const ids = messages.map((message) => message.id);
    const deliveries = this.details ? await this.details.emailDeliveries(ids) : NO_DELIVERIES;
    return {
      messages: messages.map((message) => ({
        ...message,
        email: deliveries.get(message.id) ?? null,
        refusedAttachments: files.get(message.id)?.refused ?? [],
      })),
      nextBefore,
    };
  }

  async replyAsStaff(
    mailbox: string,
    publicId: string,
    input: { body: string; clientId: string | null; attachmentIds: readonly string[] },
  ): Promise<PostedMessage> {
    const conversation = await this.staffConversation(mailbox, publicId);
    return this.post(
      conversation,
      { author: 'staff', body: input.body, origin: 'chat', clientId: input.clientId },
      input.attachmentIds,
    );
  }

  async setStatus(
    mailbox: string,
    publicId: string,
    status: ConversationStatus,
  ): Promise<ConversationView> {
    const conversation = await this.staffConversation(mailbox, publicId);
    const stored = await this.transactions.run(async () => {
      const changed = await this.storage.setStatus(conversation, status);
      if (changed.created) {
        await this.events.record(conversation.mailbox, conversation.owner, {
          type: 'conversation',
          conversation: changed.value,
        });
      }
      return changed;
    });
    return toConversationView(stored.value);
  }

  /**
   * The conversation an email-to-chat link points to, for its customer only: the session must be
   * identified with the address the link was sent to. An expired link answers 410.
   */
  async openFromLink(session: WidgetSession, token: string): Promise<ConversationSummary> {
    const link = this.linkTokens.verify(token);
    if (!link.ok) {
      if (link.reason === 'expired') {
        throw new HelperHttpError(
          HttpStatus.GONE,
          'link_expired',
          'This chat link has expired: write to us again.',
        );
      }
      throw notFound('The conversation');
    }
    const [summary] = await this.summarise([
      await this.customersConversation(session, link.conversationId),
    ]);
    return summary!;
  }

  /**
   * The customer's own conversation, or 404: a conversation of someone else is answered exactly
   * like one that does not exist, so its id reveals nothing.
   */
  async customersConversation(
    session: WidgetSession,
    publicId: string,
  ): Promise<ConversationRecord> {
    const conversation = await this.storage.findConversation(session.mailbox, publicId);
    if (!conversation || conversation.owner !== ownerOf(session))
      throw notFound('The conversation');
    return conversation;
  }

  /** A conversation of the mailbox, for staff, or 404. */
  async staffConversation(mailbox: string, publicId: string): Promise<ConversationRecord> {
    const conversation = await this.storage.findConversation(mailbox, publicId);
    if (!conversation) throw notFound('The conversation');
    return conversation;
  }

  private async post(
    conversation: ConversationRecord,
    message: NewMessage,
    attachmentIds: readonly string[],
  ) {
    const stored = await this.appendMessage(conversation, message, (current, added) =>
      this.attachments.attach(current, added.id, attachmentIds),
    );
    const posted = stored.value.message;
    // A retried send answers the earlier message with the files it carries.
    const files = await this.attachments.filesOf([posted.id]);
    return {
      message: toMessageView(
        posted,
        stored.value.conversation,
        this.attachments.views(files.get(posted.id)?.kept ?? [], viewerOf(conversation, message)),
      ),
      created: stored.created,
    };
  }

  /** A page of messages with their files, links signed for the conversation's reader. */
  private async messagePage(
    conversation: ConversationRecord,
    { before, limit }: { before?: number; limit: number },
    viewer: Viewer,
  ): Promise<MessagePage & { files: Map<number, MessageFiles> }> {
    // One more than asked tells whether older messages exist without counting them.
    const messages = await this.storage.listMessages(conversation.id, { before, limit: limit + 1 });
    const hasOlder = messages.length > limit;
    const page = hasOlder ? messages.slice(1) : messages;
    const files = await this.attachments.filesOf(page.map((message) => message.id));
    return {
      messages: page.map((message) =>
        toMessageView(
          message,
          conversation,
          this.attachments.views(files.get(message.id)?.kept ?? [], viewer),
        ),
      ),
      nextBefore: hasOlder ? page[0]!.id : null,
      files,
    };
  }

  private async summarise(conversations: ConversationRecord[]): Promise<ConversationSummary[]> {
    const latest = await this.storage.latestMessages(
      conversations.map((conversation) => conversation.id),
    );
    return conversations.map((conversation) => {
      const message = latest.get(conversation.id);
      return {
        ...toConversationView(conversation),
        lastMessage: message
          ? {
              author: message.author,
              preview: message.body.slice(0, PREVIEW_LENGTH),
              createdAt: message.createdAt,
            }
          : null,
      };
    });
  }

  private async customerOf(
    conversation: ConversationRecord,
  ): Promise<StaffConversationSummary['customer']> {
    if (conversation.customerEmail === null) return null;
    const customer = await this.customers.getCustomer(
      conversation.mailbox,
      conversation.customerEmail,
    );
    return {
      email: conversation.customerEmail,
      name: customer?.name ?? null,
      value: customer?.value ?? null,
      links: customer?.links ?? {},
      context: customer?.context ?? null,
    };
  }
}

const NO_DELIVERIES: ReadonlyMap<number, EmailDelivery> = new Map();

/** Who reads the answer to a post: staff for a staff reply, else the conversation's owner. */
const viewerOf = (conversation: ConversationRecord, message: NewMessage): Viewer => ({
  viewer: message.author === 'staff' ? STAFF_VIEWER : conversation.owner,
  mailbox: conversation.mailbox,
});
