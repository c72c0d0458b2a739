import { Body, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { HelperController } from '../http/helper-controller.decorator.js';
import { SessionGuard, WidgetSessionParam } from '../identity/session.guard.js';
import type { WidgetSession } from '../identity/session-tokens.js';
import { MarkReadDto, RateConversationDto } from './activity.dto.js';
import { ConversationIdPipe } from './conversation-id.pipe.js';
import { ConversationsService } from './conversations.service.js';
import { RatingService } from './rating.service.js';
import { ReadStateService } from './read-state.service.js';
import { TypingService } from './typing.service.js';
import {
  ApiConversationIdParam,
  ApiCustomerAuth,
  ApiGroup,
  ApiRoute,
} from '../openapi/decorators.js';
import { RatingAnswerSchema, ReadAnswerSchema } from '../openapi/schemas/activity.schema.js';

/**
 * What the customer does besides writing: reads, types and rates (docs/http-api.md, "Read state,
 * typing, rating"). Another customer's conversation is answered 404, like an unknown one.
 */
@HelperController('conversations/:id')
@UseGuards(SessionGuard)
@ApiGroup('chat')
@ApiCustomerAuth()
@ApiConversationIdParam()
export class CustomerActivityController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly readState: ReadStateService,
    private readonly typingNotices: TypingService,
    private readonly ratings: RatingService,
  ) {}

  @Post('read')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Mark messages read',
    description: "Moves the customer's read mark to `upTo` (never back) and sends a `read` event.",
    response: ReadAnswerSchema,
    errors: [400, 401, 404, 429],
  })
  async read(
    @WidgetSessionParam() session: WidgetSession,
    @Param('id', ConversationIdPipe) id: string,
    @Body() body: MarkReadDto,
  ) {
    const conversation = await this.conversations.customersConversation(session, id);
    return this.readState.markRead(conversation, 'customer', body.upTo);
  }

  /** 202 whether passed on or dropped by the throttle: the client has nothing to do either way. */
  @Post('typing')
  @HttpCode(202)
  @ApiRoute({
    summary: 'The customer is typing',
    description:
      'At most one per 3 s is passed on to staff as a `typing` event; the others are dropped.',
    status: 202,
    response: null,
    noRequestBody: true,
    errors: [401, 404, 429],
  })
  async typing(
    @WidgetSessionParam() session: WidgetSession,
    @Param('id', ConversationIdPipe) id: string,
  ): Promise<void> {
    const conversation = await this.conversations.customersConversation(session, id);
    await this.typingNotices.typing(conversation, 'customer');
  }

  @Post('rating')
  @HttpCode(201)
  @ApiRoute({
    summary: 'Rate a closed conversation',
    description: 'Once per conversation; 409 while it is open or once rated.',
    status: 201,
    response: RatingAnswerSchema,
    errors: [400, 401, 404, 409, 429],
  })
  async rate(
    @WidgetSessionParam() session: WidgetSession,
    @Param('id', ConversationIdPipe) id: string,
    @Body() body: RateConversationDto,
  ) {
    const conversation = await this.conversations.customersConversation(session, id);
    const rating = await this.ratings.rate(conversation, {
      rating: body.rating,
      comment: body.comment || null,
    });
    return { rating };
  }
}
