import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import {
  CLIENT_ID_MAX_LENGTH,
  MESSAGE_MAX_LENGTH,
  clientIdRule,
  messageBodyRule,
} from '@helperkit/core';
import { ApiField, ApiOptionalField } from '../openapi/fields.js';
import { SatisfiesCoreRule } from '../validation/core-rule.decorator.js';
import { MAX_ATTACHMENTS_PER_MESSAGE } from '../attachments/attachment.options.js';
import { ATTACHMENT_ID } from '../attachments/attachment-id.pipe.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './conversations.service.js';

const BODY_DOC = { description: 'Plain text.', minLength: 1, maxLength: MESSAGE_MAX_LENGTH };
const CLIENT_ID_DOC = {
  description: "The client's id for this write: sending it again stores nothing new.",
  maxLength: CLIENT_ID_MAX_LENGTH,
};

/** `POST /conversations`: the first message, and optionally the client's id for the conversation. */
export class StartConversationDto {
  @SatisfiesCoreRule(messageBodyRule, { required: true })
  @ApiField(BODY_DOC)
  body!: string;

  @SatisfiesCoreRule(clientIdRule)
  @ApiOptionalField(CLIENT_ID_DOC)
  clientId?: string;
}

const attachmentIdsMessage = {
  message: `attachmentIds must be a list of at most ${MAX_ATTACHMENTS_PER_MESSAGE} different upload ids.`,
};

/** `attachmentIds`: ids of this conversation's uploads, each sent with one message only. */
const AttachmentIds = () =>
  applyDecorators(
    ApiOptionalField({
      type: [String],
      maxItems: MAX_ATTACHMENTS_PER_MESSAGE,
      description: 'Ids of files uploaded to this conversation and not sent yet.',
    }),
    IsOptional(),
    IsArray(attachmentIdsMessage),
    ArrayMaxSize(MAX_ATTACHMENTS_PER_MESSAGE, attachmentIdsMessage),
    ArrayUnique(undefined, attachmentIdsMessage),
    IsString({ each: true, ...attachmentIdsMessage }),
    Matches(ATTACHMENT_ID, { each: true, ...attachmentIdsMessage }),
  );

/** `POST /conversations/:id/messages`: `clientId` is required, so a retried send stores nothing new. */
export class PostMessageDto {
  @SatisfiesCoreRule(messageBodyRule, { required: true })
  @ApiField(BODY_DOC)
  body!: string;

  @SatisfiesCoreRule(clientIdRule, { required: true })
  @ApiField(CLIENT_ID_DOC)
  clientId!: string;

  @AttachmentIds()
  attachmentIds?: string[];
}

/** `POST /staff/conversations/:id/messages`: the staff dashboard may send a client id too. */
export class StaffReplyDto {
  @SatisfiesCoreRule(messageBodyRule, { required: true })
  @ApiField(BODY_DOC)
  body!: string;

  @SatisfiesCoreRule(clientIdRule)
  @ApiOptionalField(CLIENT_ID_DOC)
  clientId?: string;

  @AttachmentIds()
  attachmentIds?: string[];
}

export class UpdateConversationDto {
  @IsIn(['open', 'closed'], { message: 'status must be "open" or "closed".' })
  @ApiField({ enum: ['open', 'closed'] })
  status!: 'open' | 'closed';
}

/** Deeper than any real list is paged; beyond it the databases' integer types would overflow. */
const MAX_OFFSET = 1_000_000;

const pageSize = { message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}.` };

/** An optional query parameter `limit`: an integer from 1 to the page size cap. */
const PageLimit = () =>
  applyDecorators(
    ApiOptionalField({
      type: Number,
      minimum: 1,
      maximum: MAX_PAGE_SIZE,
      default: DEFAULT_PAGE_SIZE,
    }),
    IsOptional(),
    Type(() => Number),
    IsInt(pageSize),
    Min(1, pageSize),
    Max(MAX_PAGE_SIZE, pageSize),
  );

/** `?before=&limit=`: older messages before a message id, newest page first. */
export class MessagePageQuery {
  @ApiOptionalField({ type: Number, description: 'Messages older than this message id.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'before must be a message id.' })
  @Min(1, { message: 'before must be a message id.' })
  @Max(Number.MAX_SAFE_INTEGER, { message: 'before must be a message id.' })
  before?: number;

  @PageLimit()
  limit: number = DEFAULT_PAGE_SIZE;
}

/** `?offset=&limit=` for conversation lists, and the staff's `status` filter. */
export class ConversationPageQuery {
  @ApiOptionalField({ type: Number, minimum: 0, maximum: MAX_OFFSET, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `offset must be an integer from 0 to ${MAX_OFFSET}.` })
  @Min(0, { message: `offset must be an integer from 0 to ${MAX_OFFSET}.` })
  @Max(MAX_OFFSET, { message: `offset must be an integer from 0 to ${MAX_OFFSET}.` })
  offset: number = 0;

  @PageLimit()
  limit: number = DEFAULT_PAGE_SIZE;

  @ApiOptionalField({ enum: ['open', 'closed'], description: 'Only conversations in this status.' })
  @IsOptional()
  @IsIn(['open', 'closed'], { message: 'status must be "open" or "closed".' })
  status?: 'open' | 'closed';
}

/** `?mailbox=` on the staff routes: checked against the configured mailboxes by MailboxPipe. */
const MailboxParam = () =>
  applyDecorators(
    ApiOptionalField({ description: 'The mailbox slug (default `default`).', maxLength: 64 }),
    IsOptional(),
    IsString({ message: 'mailbox must be a mailbox slug.' }),
    Length(1, 64, { message: 'mailbox must be a mailbox slug.' }),
  );

export class StaffConversationPageQuery extends ConversationPageQuery {
  @MailboxParam()
  mailbox?: string;
}

export class StaffMessagePageQuery extends MessagePageQuery {
  @MailboxParam()
  mailbox?: string;
}

/** `POST /conversations/from-link`: the token of an email-to-chat link (`?helper_chat=`). */
export class ChatLinkDto {
  @ApiField({ description: 'The `helper_chat` parameter of the link.', maxLength: 2048 })
  @IsString({ message: 'token must be a string.' })
  @Length(1, 2048, { message: 'token must have 1 to 2048 characters.' })
  token!: string;
}
