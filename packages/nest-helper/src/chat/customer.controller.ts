import {
  Body,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { HelperController } from '../http/helper-controller.decorator.js';
import { ResponseWriter } from '../http/response-writer.js';
import { AllowQueryToken, SessionGuard, WidgetSessionParam } from '../identity/session.guard.js';
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
import { endWhenReplaced, LimitStreams } from '../limits/stream-limit.js';
import { MessageRateLimitGuard } from './message-rate-limit.guard.js';
import {
  ApiConversationIdParam,
  ApiCustomerAuth,
  ApiEventStream,
  ApiGroup,
  ApiRoute,
} from '../openapi/decorators.js';
import {
  ConversationListSchema,
  LinkedConversationSchema,
  MessageAnswerSchema,
  MessagePageSchema,
  StartedConversationSchema,
} from '../openapi/schemas/chat.schema.js';

/** The customer's side of the chat, behind the widget session token (docs/http-api.md). */
@HelperController()
@UseGuards(SessionGuard)
@ApiGroup('chat')
@ApiCustomerAuth()
export class CustomerConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly events: EventsService,
    private readonly responses: ResponseWriter,
  ) {}

  @Get('conversations')
  @ApiRoute({
    summary: "The customer's conversations",
    description: 'Open first, newest activity first.',
    response: ConversationListSchema,
    errors: [400, 401, 429],
  })
  async list(@WidgetSessionParam() session: WidgetSession, @Query() query: ConversationPageQuery) {
    return { conversations: await this.conversations.listForCustomer(session, query) };
  }

  /** 201 with the new conversation; 200 with the earlier one when `clientId` was seen before. */
  @Post('conversations')
  @ApiRoute({
    summary: 'Start a conversation',
    status: 201,
    response: StartedConversationSchema,
    alsoAnswers: [
      {
        status: 200,
        description: 'The earlier conversation of a repeated `clientId`.',
        schema: StartedConversationSchema,
      },
    ],
    errors: [400, 401, 429],
  })
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
  @ApiRoute({
    summary: 'A page of messages',
    description: 'Oldest first; `nextBefore` pages back.',
    response: MessagePageSchema,
    errors: [400, 401, 404, 429],
  })
  @ApiConversationIdParam()
  messages(
    @WidgetSessionParam() session: WidgetSession,
    @Param('id', ConversationIdPipe) id: string,
    @Query() query: MessagePageQuery,
  ) {
    return this.conversations.messagesForCustomer(session, id, query);
  }

  /** 201 with the new message; 200 with the earlier one when `clientId` was seen before. */
  @Post('conversations/:id/messages')
  @ApiRoute({
    summary: 'Send a message',
    status: 201,
    response: MessageAnswerSchema,
    alsoAnswers: [
      {
        status: 200,
        description: 'The earlier message of a repeated `clientId`.',
        schema: MessageAnswerSchema,
      },
    ],
    errors: [400, 401, 404, 429],
  })
  @ApiConversationIdParam()
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
  @ApiRoute({
    summary: 'Open the conversation of an email-to-chat link',
    description: 'For the customer the link was sent to only; 404 for anyone else.',
    response: LinkedConversationSchema,
    errors: [400, 401, 404, 410, 429],
  })
  @HttpCode(200)
  async fromLink(@WidgetSessionParam() session: WidgetSession, @Body() body: ChatLinkDto) {
    return { conversation: await this.conversations.openFromLink(session, body.token) };
  }

  /**
   * The customer's live updates; `Last-Event-ID` (or `?lastEventId=`) resumes a dropped stream.
   * The stream ends when its token expires, with a last `expired` event: the widget refreshes its
   * session and reconnects (docs/http-api.md). Written straight onto the response
   * (docs/platforms.md, "Event streams").
   */
  @Get('events')
  @ApiEventStream(
    "The customer's live updates",
    'Server-sent events. The token may travel as `?token=` here only, for EventSource.',
  )
  @AllowQueryToken()
  @LimitStreams()
  stream(
    @WidgetSessionParam() session: WidgetSession,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query('lastEventId') lastEventIdQuery: unknown,
    @Req() request: object,
    @Res() response: object,
  ): void {
    const position = parseLastEventId(lastEventId, lastEventIdQuery);
    const stream = this.events.serve(
      request,
      response,
      { mailbox: session.mailbox, owner: ownerOf(session) },
      position,
      session.expiresAt,
    );
    if (stream) endWhenReplaced(request, stream);
  }
}
