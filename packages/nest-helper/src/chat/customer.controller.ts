import {
  Body,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  Sse,
  UseGuards,
  type MessageEvent,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import { HelperController } from '../http/helper-controller.decorator.js';
import { ResponseWriter } from '../http/response-writer.js';
import { AllowQueryToken, SessionGuard, WidgetSessionParam } from '../identity/session.guard.js';
import { untilExpiry } from './until-expiry.js';
import type { WidgetSession } from '../identity/session-tokens.js';
import { ConversationIdPipe } from './conversation-id.pipe.js';
import { ConversationsService } from './conversations.service.js';
import { ownerOf } from './owners.js';
import {
  ChatLinkDto,
  ConversationPageQuery,
  MessagePageQuery,
  PostMessageDto,
  StartConversationDto,
} from './conversations.dto.js';
import { EventsService } from './events.service.js';
import { parseLastEventId } from './last-event-id.js';
import { ConversationRateLimitGuard } from '../limits/conversation-rate-limit.guard.js';
import { LimitStreams } from '../limits/stream-limit.js';
import { MessageRateLimitGuard } from './message-rate-limit.guard.js';

/** The customer's side of the chat, behind the widget session token (docs/http-api.md). */
@HelperController()
@UseGuards(SessionGuard)
export class CustomerConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly events: EventsService,
    private readonly responses: ResponseWriter,
  ) {}

  @Get('conversations')
  async list(@WidgetSessionParam() session: WidgetSession, @Query() query: ConversationPageQuery) {
    return { conversations: await this.conversations.listForCustomer(session, query) };
  }

  /** 201 with the new conversation; 200 with the earlier one when `clientId` was seen before. */
  @Post('conversations')
  @UseGuards(MessageRateLimitGuard, ConversationRateLimitGuard)
  async start(
    @WidgetSessionParam() session: WidgetSession,
    @Body() body: StartConversationDto,
    @Res({ passthrough: true }) response: unknown,
  ) {
    const started = await this.conversations.startForCustomer(session, {
      body: body.body,
      clientId: body.clientId ?? null,
    });
    this.responses.status(response, started.created ? 201 : 200);
    return { conversation: started.conversation, message: started.message };
  }

  @Get('conversations/:id/messages')
  messages(
    @WidgetSessionParam() session: WidgetSession,
    @Param('id', ConversationIdPipe) id: string,
    @Query() query: MessagePageQuery,
  ) {
    return this.conversations.messagesForCustomer(session, id, query);
  }

  /** 201 with the new message; 200 with the earlier one when `clientId` was seen before. */
  @Post('conversations/:id/messages')
  @UseGuards(MessageRateLimitGuard)
  async post(
    @WidgetSessionParam() session: WidgetSession,
    @Param('id', ConversationIdPipe) id: string,
    @Body() body: PostMessageDto,
    @Res({ passthrough: true }) response: unknown,
  ) {
    const posted = await this.conversations.postForCustomer(session, id, {
      body: body.body,
      clientId: body.clientId,
      attachmentIds: body.attachmentIds ?? [],
    });
    this.responses.status(response, posted.created ? 201 : 200);
    return { message: posted.message };
  }

  /** The conversation of an email-to-chat link, when it is this customer's. */
  @Post('conversations/from-link')
  @HttpCode(200)
  async fromLink(@WidgetSessionParam() session: WidgetSession, @Body() body: ChatLinkDto) {
    return { conversation: await this.conversations.openFromLink(session, body.token) };
  }

  /**
   * The customer's live updates; `Last-Event-ID` (or `?lastEventId=`) resumes a dropped stream.
   * The stream ends when its token expires, with a last `expired` event: the widget refreshes its
   * session and reconnects (docs/http-api.md).
   */
  @Sse('events')
  @AllowQueryToken()
  @LimitStreams()
  stream(
    @WidgetSessionParam() session: WidgetSession,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query('lastEventId') lastEventIdQuery: unknown,
  ): Observable<MessageEvent> {
    const position = parseLastEventId(lastEventId, lastEventIdQuery);
    return untilExpiry(
      this.events.stream({ mailbox: session.mailbox, owner: ownerOf(session) }, position),
      session.expiresAt,
    );
  }
}
