import { Body, Get, Headers, Param, Patch, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
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
import {
  ApiConversationIdParam,
  ApiEventStream,
  ApiGroup,
  ApiMailboxQuery,
  ApiRoute,
  ApiStaffAuth,
} from '../openapi/decorators.js';
import {
  ConversationAnswerSchema,
  MessageAnswerSchema,
  StaffConversationListSchema,
  StaffMessagePageSchema,
} from '../openapi/schemas/chat.schema.js';

/**
 * The support staff's side, behind the host's admin guard. Every route acts in the mailbox
 * `?mailbox=<slug>` names (default `default`); the host's guard may read it with
 * `getHelperMailbox(request)` to decide which staff may act there (docs/http-api.md).
 */
@HelperController('staff')
@UseGuards(AdminGuard)
@ApiGroup('staff')
@ApiStaffAuth()
export class StaffConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly events: EventsService,
    private readonly responses: ResponseWriter,
  ) {}

  /** Open conversations first, newest activity first, with each customer's metadata. */
  @Get('conversations')
  @ApiRoute({
    summary: "The mailbox's conversations",
    description: "Open first, newest activity first, with each customer's metadata.",
    response: StaffConversationListSchema,
    errors: [400, 401, 403, 404],
  })
  async list(
    @Query('mailbox', MailboxPipe) mailbox: ResolvedMailbox,
    @Query() query: StaffConversationPageQuery,
  ) {
    return {
      conversations: await this.conversations.listForStaff(mailbox.slug, query.status, query),
    };
  }

  @Get('conversations/:id/messages')
  @ApiRoute({
    summary: "A conversation's messages, as staff see them",
    description: 'For a message that came by email, how it was answered.',
    response: StaffMessagePageSchema,
    errors: [400, 401, 403, 404],
  })
  @ApiConversationIdParam()
  messages(
    @Query('mailbox', MailboxPipe) mailbox: ResolvedMailbox,
    @Param('id', ConversationIdPipe) id: string,
    @Query() query: StaffMessagePageQuery,
  ) {
    return this.conversations.messagesForStaff(mailbox.slug, id, query);
  }

  @Post('conversations/:id/messages')
  @ApiRoute({
    summary: 'Reply',
    status: 201,
    response: MessageAnswerSchema,
    alsoAnswers: [
      {
        status: 200,
        description: 'The earlier reply of a repeated `clientId`.',
        schema: MessageAnswerSchema,
      },
    ],
    errors: [400, 401, 403, 404],
  })
  @ApiMailboxQuery()
  @ApiConversationIdParam()
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
  @ApiRoute({
    summary: 'Open or close a conversation',
    response: ConversationAnswerSchema,
    errors: [400, 401, 403, 404],
  })
  @ApiMailboxQuery()
  @ApiConversationIdParam()
  async update(
    @Query('mailbox', MailboxPipe) mailbox: ResolvedMailbox,
    @Param('id', ConversationIdPipe) id: string,
    @Body() body: UpdateConversationDto,
  ) {
    return { conversation: await this.conversations.setStatus(mailbox.slug, id, body.status) };
  }

  /** The mailbox's live updates, written straight onto the response (docs/platforms.md). */
  @Get('events')
  @ApiEventStream("The mailbox's live updates", 'Server-sent events for staff.')
  @ApiMailboxQuery()
  stream(
    @Query('mailbox', MailboxPipe) mailbox: ResolvedMailbox,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query('lastEventId') lastEventIdQuery: unknown,
    @Req() request: object,
    @Res() response: object,
  ): void {
    const position = parseLastEventId(lastEventId, lastEventIdQuery);
    this.events.serve(request, response, { mailbox: mailbox.slug }, position);
  }
}
