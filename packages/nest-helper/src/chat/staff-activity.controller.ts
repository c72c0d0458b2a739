import { Body, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { AdminGuard } from '../admin.guard.js';
import type { ResolvedMailbox } from '../helper.options.js';
import { HelperController } from '../http/helper-controller.decorator.js';
import { MailboxPipe } from '../mailboxes/mailbox.pipe.js';
import { MarkReadDto } from './activity.dto.js';
import { ConversationIdPipe } from './conversation-id.pipe.js';
import { ConversationsService } from './conversations.service.js';
import { ReadStateService } from './read-state.service.js';
import { TypingService } from './typing.service.js';
import {
  ApiConversationIdParam,
  ApiGroup,
  ApiMailboxQuery,
  ApiRoute,
  ApiStaffAuth,
} from '../openapi/decorators.js';
import { ReadAnswerSchema } from '../openapi/schemas/activity.schema.js';

/**
 * Staff reading and typing, behind the host's admin guard, in the mailbox `?mailbox=` names
 * (docs/http-api.md, "Read state, typing, rating").
 */
@HelperController('staff/conversations/:id')
@UseGuards(AdminGuard)
@ApiGroup('staff')
@ApiStaffAuth()
@ApiConversationIdParam()
@ApiMailboxQuery()
export class StaffActivityController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly readState: ReadStateService,
    private readonly typingNotices: TypingService,
  ) {}

  @Post('read')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Mark messages read (staff)',
    description: "Moves the staff's read mark to `upTo` (never back) and sends a `read` event.",
    response: ReadAnswerSchema,
    errors: [400, 401, 403, 404],
  })
  async read(
    @Query('mailbox', MailboxPipe) mailbox: ResolvedMailbox,
    @Param('id', ConversationIdPipe) id: string,
    @Body() body: MarkReadDto,
  ) {
    const conversation = await this.conversations.staffConversation(mailbox.slug, id);
    return this.readState.markRead(conversation, 'staff', body.upTo);
  }

  /** 202 whether passed on or dropped by the throttle. */
  @Post('typing')
  @HttpCode(202)
  @ApiRoute({
    summary: 'Staff are typing',
    description: 'At most one per 3 s is passed on to the customer as a `typing` event.',
    status: 202,
    response: null,
    noRequestBody: true,
    errors: [401, 403, 404],
  })
  async typing(
    @Query('mailbox', MailboxPipe) mailbox: ResolvedMailbox,
    @Param('id', ConversationIdPipe) id: string,
  ): Promise<void> {
    const conversation = await this.conversations.staffConversation(mailbox.slug, id);
    await this.typingNotices.typing(conversation, 'staff');
  }
}
