import type {
  AttachmentView,
  ContinuityDelivery,
  ConversationStatus,
  ConversationSummary,
  ConversationView,
  EmailDelivery,
  MessageAuthor,
  MessageOrigin,
  MessagePage,
  MessageView,
  RefusedAttachmentView,
  StaffConversationSummary,
  StaffMessageAuthor,
  StaffMessagePage,
  StaffMessageView,
} from '@helperkit/core';
import type { RatingView, UnreadSummary } from '../../chat/views.js';
import { ApiField } from '../fields.js';
import { RatingSchema } from './activity.schema.js';
import { AttachmentSchema, RefusedAttachmentSchema } from './attachments.schema.js';

const STATUSES = ['open', 'closed'];
const AUTHORS = ['customer', 'staff'];
const ORIGINS = ['chat', 'email'];
const NULLABLE_STRING = { type: String, nullable: true } as const;
const TIME = { type: String, format: 'date-time' } as const;

export class ConversationSchema implements ConversationView {
  @ApiField({ description: 'The public id: random, not guessable.' })
  id!: string;

  @ApiField(NULLABLE_STRING)
  subject!: string | null;

  @ApiField({ enum: STATUSES })
  status!: ConversationStatus;

  @ApiField({ enum: ORIGINS })
  origin!: MessageOrigin;

  @ApiField(TIME)
  createdAt!: string;

  @ApiField(TIME)
  lastActivityAt!: string;
}

/** What every message has, whoever reads it. */
class MessageFieldsSchema implements Omit<MessageView, 'author'> {
  @ApiField({ type: [AttachmentSchema], description: 'The files sent with the message.' })
  attachments!: AttachmentView[];

  @ApiField({ type: Number, description: 'Increases with every message; `before` cursors use it.' })
  id!: number;

  @ApiField({})
  conversationId!: string;

  @ApiField({ description: 'Plain text: render it as text, never as HTML.' })
  body!: string;

  @ApiField({ enum: ORIGINS })
  origin!: MessageOrigin;

  @ApiField(NULLABLE_STRING)
  clientId!: string | null;

  @ApiField(TIME)
  createdAt!: string;
}

export class MessageSchema extends MessageFieldsSchema implements MessageView {
  @ApiField({ enum: AUTHORS })
  author!: MessageAuthor;
}

class LastMessageSchema {
  @ApiField({ enum: AUTHORS })
  author!: MessageAuthor;

  @ApiField({})
  preview!: string;

  @ApiField(TIME)
  createdAt!: string;
}

export class ConversationSummarySchema extends ConversationSchema implements UnreadSummary {
  @ApiField({ type: LastMessageSchema, nullable: true })
  lastMessage!: LastMessageSchema | null;

  @ApiField({
    type: Number,
    description: "The other side's messages after the caller's read mark.",
  })
  unreadCount!: number;

  @ApiField({
    type: RatingSchema,
    nullable: true,
    description: "The customer's rating, once given.",
  })
  rating!: RatingView | null;
}

class StaffCustomerSchema {
  @ApiField({})
  email!: string;

  @ApiField(NULLABLE_STRING)
  name!: string | null;

  @ApiField({ type: Number, nullable: true })
  value!: number | null;

  @ApiField({ type: 'object', additionalProperties: { type: 'string' } })
  links!: Record<string, string>;

  @ApiField(NULLABLE_STRING)
  context!: string | null;
}

export class StaffConversationSummarySchema
  extends ConversationSummarySchema
  implements StaffConversationSummary
{
  @ApiField({ type: StaffCustomerSchema, nullable: true, description: 'null for a visitor.' })
  customer!: StaffCustomerSchema | null;

  @ApiField({
    type: Boolean,
    description: 'False when the email sender could not be authenticated.',
  })
  senderVerified!: boolean;

  @ApiField({
    type: Number,
    nullable: true,
    description: 'The last message the customer has read (null: none yet).',
  })
  customerLastReadId!: number | null;
}

class EmailDeliverySchema implements EmailDelivery {
  @ApiField({ enum: ['sent', 'queued', 'skipped'] })
  autoReply!: EmailDelivery['autoReply'];

  @ApiField(NULLABLE_STRING)
  skipReason!: string | null;

  @ApiField(NULLABLE_STRING)
  skipReasonText!: string | null;
}

class ContinuityDeliverySchema implements ContinuityDelivery {
  @ApiField({ enum: ['queued', 'sent', 'cancelled', 'failed'] })
  status!: ContinuityDelivery['status'];

  @ApiField({ type: String, format: 'date-time', nullable: true })
  sentAt!: string | null;

  @ApiField({
    ...NULLABLE_STRING,
    description: 'Why it was cancelled (`read`, `recent-email`, `reply-budget`, …) or failed.',
  })
  reason!: string | null;
}

export class StaffMessageSchema extends MessageFieldsSchema implements StaffMessageView {
  @ApiField({
    enum: [...AUTHORS, 'note'],
    description: '`note`: an automatic email answer kept for staff only.',
  })
  author!: StaffMessageAuthor;

  @ApiField({ type: EmailDeliverySchema, nullable: true })
  email!: EmailDelivery | null;

  @ApiField({
    type: ContinuityDeliverySchema,
    nullable: true,
    description: 'For a staff reply: whether it was emailed to a customer who had not read it.',
  })
  emailed!: ContinuityDelivery | null;

  @ApiField({
    type: [RefusedAttachmentSchema],
    description: 'Parts of its email that were not kept (type, size, count).',
  })
  refusedAttachments!: RefusedAttachmentView[];
}

export class MessagePageSchema implements MessagePage {
  @ApiField({ type: [MessageSchema], description: 'Oldest first.' })
  messages!: MessageView[];

  @ApiField({ type: Number, nullable: true, description: 'Pages back; null at the start.' })
  nextBefore!: number | null;
}

export class StaffMessagePageSchema implements StaffMessagePage {
  @ApiField({ type: [StaffMessageSchema], description: 'Oldest first.' })
  messages!: StaffMessageView[];

  @ApiField({ type: Number, nullable: true, description: 'Pages back; null at the start.' })
  nextBefore!: number | null;
}

export class ConversationListSchema {
  @ApiField({ type: [ConversationSummarySchema] })
  conversations!: ConversationSummary[];
}

export class StaffConversationListSchema {
  @ApiField({ type: [StaffConversationSummarySchema] })
  conversations!: StaffConversationSummary[];
}

export class ConversationAnswerSchema {
  @ApiField({ type: ConversationSchema })
  conversation!: ConversationView;
}

export class StartedConversationSchema extends ConversationAnswerSchema {
  @ApiField({ type: MessageSchema })
  message!: MessageView;
}

export class MessageAnswerSchema {
  @ApiField({ type: MessageSchema })
  message!: MessageView;
}

export class LinkedConversationSchema {
  @ApiField({ type: ConversationSummarySchema })
  conversation!: ConversationSummary;
}
