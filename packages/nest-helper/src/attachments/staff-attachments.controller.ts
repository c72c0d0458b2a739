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

/** Staff uploads, behind the host's admin guard, in the mailbox `?mailbox=` names. */
@HelperController('staff')
@UseGuards(AdminGuard)
export class StaffAttachmentsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly attachments: AttachmentsService,
    @InjectAttachmentOptions() private readonly options: ResolvedAttachmentOptions,
  ) {}

  /** 201 with `{ id, name, size, contentType, url }`; send `id` in the reply's `attachmentIds`. */
  @Post('conversations/:id/attachments')
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
