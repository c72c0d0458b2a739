import {
  Body,
  Get,
  Headers,
  Param,
  Patch,
  Post,
  Query,
  Res,
  Sse,
  UseGuards,
  type MessageEvent,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import { AdminGuard } from '../admin.guard.js';
import type { ResolvedMailbox } from '../helper.options.js';
import { HelperController } from '../http/helper-controller.decorator.js';
import { ResponseWriter } from '../http/response-writer.js';
import { MailboxPipe } from '../mailboxes/mailbox.pipe.js';
import { ConversationIdPipe } from './conversation-id.pipe.js';
import { ConversationsService } from './conversations.service.js';
import {
  StaffConversationPageQuery,
  StaffMessagePageQuery,
  StaffReplyDto,
  UpdateConversationDto,
} from './conversations.dto.js';
import { EventsService } from './events.service.js';
import { parseLastEventId } from './last-event-id.js';

/**
 * The support staff's side, behind the host's admin guard. Every route acts in the mailbox
 * `?mailbox=<slug>` names (default `default`); the host's guard may read it with
 * `getHelperMailbox(request)` to decide which staff may act there (docs/http-api.md).
 */
@HelperController('staff')
@UseGuards(AdminGuard)
export class StaffConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly events: EventsService,
    private readonly responses: ResponseWriter,
  ) {}

  /** Open conversations first, newest activity first, with each customer's metadata. */
  @Get('conversations')
  async list(
    @Query('mailbox', MailboxPipe) mailbox: ResolvedMailbox,
    @Query() query: StaffConversationPageQuery,
  ) {
    return {
      conversations: await this.conversations.listForStaff(mailbox.slug, query.status, query),
    };
  }

  @Get('conversations/:id/messages')
  messages(
    @Query('mailbox', MailboxPipe) mailbox: ResolvedMailbox,
    @Param('id', ConversationIdPipe) id: string,
    @Query() query: StaffMessagePageQuery,
  ) {
    return this.conversations.messagesForStaff(mailbox.slug, id, query);
  }

  @Post('conversations/:id/messages')
  async reply(
    @Query('mailbox', MailboxPipe) mailbox: ResolvedMailbox,
    @Param('id', ConversationIdPipe) id: string,
    @Body() body: StaffReplyDto,
    @Res({ passthrough: true }) response: unknown,
  ) {
    const posted = await this.conversations.replyAsStaff(mailbox.slug, id, {
      body: body.body,
      clientId: body.clientId ?? null,
      attachmentIds: body.attachmentIds ?? [],
    });
    this.responses.status(response, posted.created ? 201 : 200);
    return { message: posted.message };
  }

  @Patch('conversations/:id')
  async update(
    @Query('mailbox', MailboxPipe) mailbox: ResolvedMailbox,
    @Param('id', ConversationIdPipe) id: string,
    @Body() body: UpdateConversationDto,
  ) {
    return { conversation: await this.conversations.setStatus(mailbox.slug, id, body.status) };
  }

  @Sse('events')
  stream(
    @Query('mailbox', MailboxPipe) mailbox: ResolvedMailbox,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query('lastEventId') lastEventIdQuery: unknown,
  ): Observable<MessageEvent> {
    return this.events.stream(
      { mailbox: mailbox.slug },
      parseLastEventId(lastEventId, lastEventIdQuery),
    );
  }
}
