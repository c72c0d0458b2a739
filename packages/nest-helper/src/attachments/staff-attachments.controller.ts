import { Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { AdminGuard } from '../admin.guard.js';
import { ConversationIdPipe } from '../chat/conversation-id.pipe.js';
import { ConversationsService } from '../chat/conversations.service.js';
import type { ResolvedMailbox } from '../helper.options.js';
import { HelperController } from '../http/helper-controller.decorator.js';
import { MailboxPipe } from '../mailboxes/mailbox.pipe.js';
import { STAFF_VIEWER } from './attachment-links.js';
import { InjectAttachmentOptions, type ResolvedAttachmentOptions } from './attachment.options.js';
import { AttachmentsService } from './attachments.service.js';
import { uploadedFileOf } from './multipart-file.js';
import {
  ApiConversationIdParam,
  ApiFileUpload,
  ApiGroup,
  ApiRoute,
  ApiMailboxQuery,
  ApiStaffAuth,
} from '../openapi/decorators.js';
import { AttachmentSchema } from '../openapi/schemas/attachments.schema.js';

/** Staff uploads, behind the host's admin guard, in the mailbox `?mailbox=` names. */
@HelperController('staff')
@UseGuards(AdminGuard)
@ApiGroup('staff')
@ApiStaffAuth()
export class StaffAttachmentsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly attachments: AttachmentsService,
    @InjectAttachmentOptions() private readonly options: ResolvedAttachmentOptions,
  ) {}

  /** 201 with `{ id, name, size, contentType, url }`; send `id` in the reply's `attachmentIds`. */
  @Post('conversations/:id/attachments')
  @ApiRoute({
    summary: 'Upload a file (staff)',
    description: 'Multipart, field `file`; send the answer’s `id` in a message’s `attachmentIds`.',
    status: 201,
    response: AttachmentSchema,
    errors: [400, 401, 403, 404, 413, 415, 429],
  })
  @ApiFileUpload()
  @ApiConversationIdParam()
  @ApiMailboxQuery()
  async upload(
    @Query('mailbox', MailboxPipe) mailbox: ResolvedMailbox,
    @Param('id', ConversationIdPipe) id: string,
    @Req() request: object,
  ) {
    const conversation = await this.conversations.staffConversation(mailbox.slug, id);
    const file = await uploadedFileOf(request, this.options.maxBytes);
    return this.attachments.upload(conversation, 'staff', file, {
      viewer: STAFF_VIEWER,
      mailbox: mailbox.slug,
    });
  }
}
