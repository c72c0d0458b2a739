import {
  Body,
  Get,
  Header,
  HttpCode,
  Post,
  Query,
  Req,
  Res,
  UseInterceptors,
} from '@nestjs/common';
import type { SignedIdentity } from '@helperkit/core/node';
import type { WidgetSessionResponse } from '@helperkit/core';
import type { ResolvedMailbox } from '../helper.options.js';
import { HelperController } from '../http/helper-controller.decorator.js';
import { ApiGroup, ApiMailboxQuery, ApiRoute } from '../openapi/decorators.js';
import { SignedIdentitySchema, WidgetSessionSchema } from '../openapi/schemas/widget.schema.js';
import { ResponseWriter } from '../http/response-writer.js';
import { RetryAfterInterceptor } from '../limits/retry-after.interceptor.js';
import { MailboxPipe } from '../mailboxes/mailbox.pipe.js';
import type { HelperCustomerContext } from './customer-context.js';
import { HelperCustomer } from './helper-customer.decorator.js';
import { IdentitySigner } from './identity-signer.js';
import { WidgetSessionDto } from './session.dto.js';
import { SessionService } from './session.service.js';

/** The widget's own endpoints: its identity (same-origin apps) and its session (docs/http-api.md). */
@HelperController('widget')
@ApiGroup('widget')
export class SessionController {
  constructor(
    private readonly sessions: SessionService,
    private readonly signer: IdentitySigner,
    private readonly responses: ResponseWriter,
  ) {}

  /**
   * The logged-in customer's identity signed for a mailbox (`?mailbox=`, default `default`), or
   * 204 when nobody is logged in.
   */
  @Get('identity')
  @ApiRoute({
    summary: "The logged-in customer's signed identity",
    description: 'Runs the signing middleware; same-origin apps only (no CORS).',
    response: SignedIdentitySchema,
    alsoAnswers: [{ status: 204, description: 'Nobody is logged in.' }],
    errors: [400, 404],
  })
  @ApiMailboxQuery()
  // The identity is personal: no shared cache may keep it.
  @Header('Cache-Control', 'no-store')
  identity(
    @HelperCustomer() helper: HelperCustomerContext | null,
    @Query('mailbox', MailboxPipe) mailbox: ResolvedMailbox,
    @Res({ passthrough: true }) response: unknown,
  ): SignedIdentity | undefined {
    if (!helper) {
      this.responses.status(response, 204);
      return undefined;
    }
    return this.signer.sign(helper.customer, mailbox);
  }

  @Post('session')
  @ApiRoute({
    summary: 'Start a widget session',
    description: 'With a signed identity for a customer, without one for a visitor.',
    response: WidgetSessionSchema,
    errors: [400, 401, 403, 404, 429],
  })
  @HttpCode(200)
  @UseInterceptors(RetryAfterInterceptor)
  session(@Body() body: WidgetSessionDto, @Req() request: object): Promise<WidgetSessionResponse> {
    // The platform's request: its `ip` for the limits, its body for signed metadata.
    return this.sessions.start(body, request);
  }
}
