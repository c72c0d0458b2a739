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
import {
  type ConversationOwner,
  type ConversationRecord,
  type ConversationStatus,
  type MessageRecord,
  type NewConversation,
  type NewMessage,
  type Page,
  type Written,
} from './chat.records.js';
import type { ConversationStorage } from './conversation.storage.js';
import type { EventStorage } from './event.storage.js';
import {
  HELPER_STAFF_MESSAGE_DETAILS,
  type ContinuityDelivery,
  type StaffMessageDetails,
} from './staff-message-details.js';
import { HELPER_STAFF_REPLY_LISTENER, type StaffReplyListener } from './staff-reply-listener.js';
import type {
  EmailDelivery,
  ConversationView,
  MessagePage,
  MessageView,
  StaffConversationSummary,
  StaffMessagePage,
  StaffMessageView,
} from '@helperkit/core';
import { RatingService } from './rating.service.js';
import { SingleWritePost, messageEvent } from './single-write-post.js';
import type { ReadSide } from './read-state.storage.js';
import { ReadStateService } from './read-state.service.js';
import {
  toChatMessageView,
  toConversationView,
  toMessageView,
  type StaffUnreadSummary,
  type UnreadSummary,
} from './views.js';
import { HelperEventPublisher } from '../events/helper-event-publisher.js';
import { conversationClosed, messageCreated, startEvents } from '../events/event-data.js';
import type { AnyHelperEvent } from '../events/helper-events.js';
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

/**
 * A message as staff read it: a note's author is `note`; a staff reply that was emailed to the
 * customer carries how that went (`emailed`, docs/http-api.md).
 */
export type StaffMessageEntry = StaffMessageView;

export const DEFAULT_PAGE_SIZE = 30;
export const MAX_PAGE_SIZE = 100;
const PREVIEW_LENGTH = 160;

/** Conversations between customers and staff: who may see what, and what changes. */
@Injectable()
export class ConversationsService {
  /** The default storage's one-write post; null when the host replaced a store. */
  private readonly singleWrite: SingleWritePost | null;

  constructor(
    @InjectConversationStorage() private readonly storage: ConversationStorage,
    @InjectEventStorage() private readonly events: EventStorage,
    @InjectCustomerStorage() private readonly customers: CustomerStorage,
    @Optional()
    @Inject(HELPER_STAFF_MESSAGE_DETAILS)
    private readonly details: StaffMessageDetails | null,
    @InjectTransactions() private readonly transactions: HelperTransactions,
    private readonly linkTokens: ChatLinkTokens,
    private readonly readState: ReadStateService,
    private readonly ratings: RatingService,
    private readonly publisher: HelperEventPublisher,
    private readonly attachments: AttachmentsService,
    @Optional()
    @Inject(HELPER_STAFF_REPLY_LISTENER)
    private readonly replyListener: StaffReplyListener | null,
  ) {
    this.singleWrite = SingleWritePost.over(storage, events);
  }

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
      if (stored.created) {
        await this.recordMessage(stored.value, keepFiles, startEvents(stored.value));
      }
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
      if (stored.created) {
        await this.recordMessage(stored.value, keepFiles, [messageCreated(stored.value)]);
      }
      return stored;
    });
  }

  /**
   * Keeps the new message's files, announces it, then records its event: a refused file stores
   * none of them. The event is the last write, because on PostgreSQL it holds its mailbox's
   * ordering lock until the commit (docs/storage.md, "Events").
   */
  private async recordMessage(
    { conversation, message }: { conversation: ConversationRecord; message: MessageRecord },
    keepFiles: KeepFiles,
    announced: AnyHelperEvent[],
  ) {
    const attachments = await keepFiles(conversation, message);
    await this.publisher.publish(...announced);
    const { owner, data } = messageEvent({ conversation, message }, attachments);
    await this.events.record(conversation.mailbox, owner, data);
  }

  async listForCustomer(session: WidgetSession, page: Page): Promise<UnreadSummary[]> {
    const conversations = await this.storage.listConversations(
      session.mailbox,
      { owner: ownerOf(session) },
      page,
    );
    return this.summarise(conversations, 'customer');
  }

  async startForCustomer(
    session: WidgetSession,
    input: { body: string; clientId: string | null },
  ): Promise<{ conversation: UnreadSummary; message: MessageView; created: boolean }> {
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
    const [summary] = await this.summarise([conversation], 'customer');
    return {
      conversation: summary!,
      message: toChatMessageView(message, conversation),
      created: stored.created,
    };
  }

  async messagesForCustomer(
    session: WidgetSession,
    publicId: string,
    options: { before?: number; limit: number },
  ) {
    const conversation = await this.customersConversation(session, publicId);
    const page = await this.messagePage(conversation, { ...options, notes: false });
    const viewer = { viewer: ownerOf(session), mailbox: session.mailbox };
    return {
      messages: page.messages.map((message) =>
        toChatMessageView(message, conversation, this.fileViews(page.files, message, viewer)),
      ),
      nextBefore: page.nextBefore,
    } satisfies MessagePage;
  }

  async postForCustomer(
    session: WidgetSession,
    publicId: string,
    input: { body: string; clientId: string; attachmentIds: readonly string[] },
  ): Promise<PostedMessage> {
    const message: NewMessage = {
      author: 'customer',
      body: input.body,
      origin: 'chat',
      clientId: input.clientId,
    };
    const owner = ownerOf(session);
    const posted = await this.postInOneWrite(session.mailbox, publicId, owner, message, input);
    if (posted) return posted;
    const conversation = await this.customersConversation(session, publicId);
    return this.post(conversation, message, input.attachmentIds);
  }

  async listForStaff(
    mailbox: string,
    status: ConversationStatus | undefined,
    page: Page,
  ): Promise<StaffUnreadSummary[]> {
    const conversations = await this.storage.listConversations(mailbox, { status }, page);
    const [summaries, lastReadIds] = await Promise.all([
      this.summarise(conversations, 'staff'),
      this.readState.customerLastReadIds(conversations),
    ]);
    return Promise.all(
      summaries.map(async (summary, index) => ({
        ...summary,
        customer: await this.customerOf(conversations[index]!),
        senderVerified: !conversations[index]!.owner.startsWith('unverified:'),
        customerLastReadId: lastReadIds[index]!,
      })),
    );
  }

  /**
   * A page of messages, notes included, with how each that came by email was answered and how
   * each staff reply went out by email.
   */
  async messagesForStaff(
    mailbox: string,
    publicId: string,
    options: { before?: number; limit: number },
  ): Promise<StaffMessagePage> {
    const conversation = await this.staffConversation(mailbox, publicId);
    const page = await this.messagePage(conversation, { ...options, notes: true });
    const ids = page.messages.map((message) => message.id);
    const viewer = { viewer: STAFF_VIEWER, mailbox };
    const deliveries = this.details ? await this.details.emailDeliveries(ids) : NO_DELIVERIES;
    const emailed = (await this.details?.continuityEmails?.(ids)) ?? NO_CONTINUITY;
    return {
      nextBefore: page.nextBefore,
      messages: page.messages.map((message) => ({
        ...toMessageView(message, conversation, this.fileViews(page.files, message, viewer)),
        email: deliveries.get(message.id) ?? null,
        emailed: emailed.get(message.id) ?? null,
        refusedAttachments: page.files.get(message.id)?.refused ?? [],
      })),
    };
  }

  async replyAsStaff(
    mailbox: string,
    publicId: string,
    input: { body: string; clientId: string | null; attachmentIds: readonly string[] },
  ): Promise<PostedMessage> {
    const message: NewMessage = {
      author: 'staff',
      body: input.body,
      origin: 'chat',
      clientId: input.clientId,
    };
    const listener = this.replyListener;
    if (!listener) {
      const posted = await this.postInOneWrite(mailbox, publicId, null, message, input);
      if (posted) return posted;
    }
    const conversation = await this.staffConversation(mailbox, publicId);
    if (!listener) return this.post(conversation, message, input.attachmentIds);
    // The listener's work (the continuity email) commits with the reply, or neither does.
    return this.transactions.run(() =>
      this.post(conversation, message, input.attachmentIds, (stored) =>
        listener.staffReplied(stored.conversation, stored.message),
      ),
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
        if (status === 'closed') await this.publisher.publish(conversationClosed(changed.value));
        // The event last: it holds its mailbox's ordering lock to the commit (docs/storage.md).
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
  async openFromLink(session: WidgetSession, token: string): Promise<UnreadSummary> {
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
    const [summary] = await this.summarise(
      [await this.customersConversation(session, link.conversationId)],
      'customer',
    );
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

  /**
   * Stores a message with its files; `afterStore` runs in the same transaction when the message
   * is new, before its event is recorded (the event is the transaction's last write).
   */
  private async post(
    conversation: ConversationRecord,
    message: NewMessage,
    attachmentIds: readonly string[],
    afterStore?: (stored: { conversation: ConversationRecord; message: MessageRecord }) => unknown,
  ) {
    const stored = await this.appendMessage(conversation, message, async (current, record) => {
      const kept = await this.attachments.attach(current, record.id, attachmentIds);
      await afterStore?.({ conversation: current, message: record });
      return kept;
    });
    return this.answer(stored, message, attachmentIds);
  }

  /** The answer to a post: the message as its author reads it. */
  private async answer(
    stored: Written<{ conversation: ConversationRecord; message: MessageRecord }>,
    message: NewMessage,
    attachmentIds: readonly string[],
  ): Promise<PostedMessage> {
    const { conversation, message: posted } = stored.value;
    // A new message sent without files has none: no need to read them back. A retried send
    // answers the earlier message with the files it carries.
    const kept =
      stored.created && attachmentIds.length === 0
        ? []
        : ((await this.attachments.filesOf([posted.id])).get(posted.id)?.kept ?? []);
    return {
      message: toChatMessageView(
        posted,
        conversation,
        this.attachments.views(kept, viewerOf(conversation, message)),
      ),
      created: stored.created,
    };
  }

  /**
   * A message with nothing else to write in its transaction (no files, no webhook to queue; the
   * caller leaves out a reply listener) is stored with its event in one write, the conversation
   * looked up in it too: on PostgreSQL one round trip instead of six (docs/storage.md, "A chat
   * post"). Null when it stored nothing: the general path then answers (a 404, or on PostgreSQL
   * the earlier message of a repeated client id).
   */
  private async postInOneWrite(
    mailbox: string,
    publicId: string,
    owner: ConversationOwner | null,
    message: NewMessage,
    { attachmentIds }: { attachmentIds: readonly string[] },
  ): Promise<PostedMessage | null> {
    if (!this.singleWrite || attachmentIds.length > 0) return null;
    if (this.publisher.writesFor('helper.message.created')) return null;
    const stored = await this.singleWrite.add(mailbox, publicId, owner, message);
    if (!stored) return null;
    if (stored.created) this.publisher.announceCommitted(() => messageCreated(stored.value));
    return this.answer(stored, message, attachmentIds);
  }

  /** A page of message records with their files (notes only when asked). */
  private async messagePage(
    conversation: ConversationRecord,
    { before, limit, notes }: { before?: number; limit: number; notes: boolean },
  ): Promise<{
    messages: MessageRecord[];
    nextBefore: number | null;
    files: Map<number, MessageFiles>;
  }> {
    // One more than asked tells whether older messages exist without counting them.
    const messages = await this.storage.listMessages(conversation.id, {
      before,
      limit: limit + 1,
      notes,
    });
    const hasOlder = messages.length > limit;
    const page = hasOlder ? messages.slice(1) : messages;
    const files = await this.attachments.filesOf(page.map((message) => message.id));
    return { messages: page, nextBefore: hasOlder ? page[0]!.id : null, files };
  }

  /** A message's kept files as its reader sees them (links signed for that reader). */
  private fileViews(files: Map<number, MessageFiles>, message: MessageRecord, viewer: Viewer) {
    return this.attachments.views(files.get(message.id)?.kept ?? [], viewer);
  }

  /**
   * Views of the conversations, with what `side` (the caller's) has not read in each and the
   * customer's rating (so the widget offers the rating only once, across reloads).
   */
  private async summarise(
    conversations: ConversationRecord[],
    side: ReadSide,
  ): Promise<UnreadSummary[]> {
    const [latest, unread, ratings] = await Promise.all([
      this.storage.latestMessages(conversations.map((conversation) => conversation.id)),
      this.readState.unreadCounts(conversations, side),
      this.ratings.ratings(conversations),
    ]);
    return conversations.map((conversation, index) => {
      const message = latest.get(conversation.id);
      return {
        ...toConversationView(conversation),
        unreadCount: unread[index]!,
        rating: ratings[index]!,
        // Previews leave notes out (the storage's default), so the author is a person.
        lastMessage: message
          ? {
              author: toChatMessageView(message, conversation).author,
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
const NO_CONTINUITY: ReadonlyMap<number, ContinuityDelivery> = new Map();

/** Who reads the answer to a post: staff for a staff reply, else the conversation's owner. */
const viewerOf = (conversation: ConversationRecord, message: NewMessage): Viewer => ({
  viewer: message.author === 'staff' ? STAFF_VIEWER : conversation.owner,
  mailbox: conversation.mailbox,
});
