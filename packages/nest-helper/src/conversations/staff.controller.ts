import {
  Body,
  Controller,
  Get,
  Headers,
  Param,
  Patch,
  Post,
  Query,
  Res,
  Sse,
  UseFilters,
  UseGuards,
  UsePipes,
  type MessageEvent,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import { AdminGuard } from '../admin.guard.js';
import { HelperExceptionFilter } from '../errors.js';
import { DEFAULT_MAILBOX } from '../helper.options.js';
import { helperValidationPipe } from '../validation/validation.pipe.js';
import { ConversationIdPipe } from './conversation-id.pipe.js';
import { ConversationsService } from './conversations.service.js';
import {
  ConversationPageQuery,
  MessagePageQuery,
  StaffReplyDto,
  UpdateConversationDto,
} from './conversations.dto.js';
import { EventsService } from './events.service.js';
import { parseLastEventId } from './last-event-id.js';

/** The support staff's side, behind the host's admin guard (SPEC 11). */
@Controller('staff')
@UseGuards(AdminGuard)
@UseFilters(HelperExceptionFilter)
@UsePipes(helperValidationPipe())
export class StaffConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly events: EventsService,
  ) {}

  /** Open conversations first, newest activity first, with each customer's metadata. */
  @Get('conversations')
  async list(@Query() query: ConversationPageQuery) {
    return {
      conversations: await this.conversations.listForStaff(DEFAULT_MAILBOX, query.status, query),
    };
  }

  @Get('conversations/:id/messages')
  messages(@Param('id', ConversationIdPipe) id: string, @Query() query: MessagePageQuery) {
    return this.conversations.messagesForStaff(DEFAULT_MAILBOX, id, query);
  }

  @Post('conversations/:id/messages')
  async reply(
    @Param('id', ConversationIdPipe) id: string,
    @Body() body: StaffReplyDto,
    @Res({ passthrough: true }) response: { status(code: number): unknown },
  ) {
    const posted = await this.conversations.replyAsStaff(DEFAULT_MAILBOX, id, {
      body: body.body,
      clientId: body.clientId ?? null,
    });
    response.status(posted.created ? 201 : 200);
    return { message: posted.message };
  }

  @Patch('conversations/:id')
  async update(@Param('id', ConversationIdPipe) id: string, @Body() body: UpdateConversationDto) {
    return { conversation: await this.conversations.setStatus(DEFAULT_MAILBOX, id, body.status) };
  }

  @Sse('events')
  stream(
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query('lastEventId') lastEventIdQuery: unknown,
  ): Observable<MessageEvent> {
    return this.events.stream(
      { mailbox: DEFAULT_MAILBOX },
      parseLastEventId(lastEventId, lastEventIdQuery),
    );
  }
}
