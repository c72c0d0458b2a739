import { Param, Post, Req, UseGuards } from '@nestjs/common';
import { ConversationIdPipe } from '../chat/conversation-id.pipe.js';
import { ConversationsService } from '../chat/conversations.service.js';
import { MessageRateLimitGuard } from '../chat/message-rate-limit.guard.js';
import { ownerOf } from '../chat/owners.js';
import { HelperController } from '../http/helper-controller.decorator.js';
import { SessionGuard, WidgetSessionParam } from '../identity/session.guard.js';
import type { WidgetSession } from '../identity/session-tokens.js';
import { InjectAttachmentOptions, type ResolvedAttachmentOptions } from './attachment.options.js';
import { AttachmentsService } from './attachments.service.js';
import { uploadedFileOf } from './multipart-file.js';
import {
  ApiConversationIdParam,
  ApiFileUpload,
  ApiGroup,
  ApiRoute,
  ApiCustomerAuth,
} from '../openapi/decorators.js';
import { AttachmentSchema } from '../openapi/schemas/attachments.schema.js';

/** The customer's uploads, behind the widget session token (docs/http-api.md, "Attachments"). */
@HelperController()
@UseGuards(SessionGuard)
@ApiGroup('chat')
@ApiCustomerAuth()
export class CustomerAttachmentsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly attachments: AttachmentsService,
    @InjectAttachmentOptions() private readonly options: ResolvedAttachmentOptions,
  ) {}

  /**
   * 201 with `{ id, name, size, contentType, url }`; send `id` in a message's `attachmentIds`. An
   * upload counts against the customer's messages per minute (docs/http-api.md, "Attachments").
   */
  @Post('conversations/:id/attachments')
  @ApiRoute({
    summary: 'Upload a file',
    description: 'Multipart, field `file`; send the answer’s `id` in a message’s `attachmentIds`.',
    status: 201,
    response: AttachmentSchema,
    errors: [400, 401, 404, 413, 415, 429],
  })
  @ApiFileUpload()
  @ApiConversationIdParam()
  @UseGuards(MessageRateLimitGuard)
  async upload(
    @WidgetSessionParam() session: WidgetSession,
    @Param('id', ConversationIdPipe) id: string,
    @Req() request: object,
  ) {
    // The conversation first: a stranger's upload is refused before any of it is read.
    const conversation = await this.conversations.customersConversation(session, id);
    const file = await uploadedFileOf(request, this.options.maxBytes);
    return this.attachments.upload(conversation, 'customer', file, {
      viewer: ownerOf(session),
      mailbox: session.mailbox,
    });
  }
}
