import {
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
  Req,
  Res,
  UseFilters,
  UsePipes,
} from '@nestjs/common';
import type { SignedIdentity } from '@helperkit/core/node';
import type { WidgetSessionResponse } from '@helperkit/core';
import { HelperExceptionFilter } from '../errors.js';
import { helperValidationPipe } from '../validation/validation.pipe.js';
import type { HelperCustomerContext } from './customer-context.js';
import { HelperCustomer } from './helper-customer.decorator.js';
import { WidgetSessionDto } from './session.dto.js';
import { SessionService } from './session.service.js';

/** The widget's own endpoints: its identity (same-origin apps) and its session (SPEC 8, 11). */
@Controller('widget')
@UseFilters(HelperExceptionFilter)
@UsePipes(helperValidationPipe())
export class SessionController {
  constructor(private readonly sessions: SessionService) {}

  /** The logged-in customer's signed identity, or 204 when nobody is logged in. */
  @Get('identity')
  identity(
    @HelperCustomer() helper: HelperCustomerContext | null,
    @Res({ passthrough: true })
    response: { status(code: number): unknown; setHeader(name: string, value: string): unknown },
  ): SignedIdentity | undefined {
    // The identity is personal: no shared cache may keep it.
    response.setHeader('Cache-Control', 'no-store');
    if (!helper) {
      response.status(204);
      return undefined;
    }
    return helper.identity;
  }

  @Post('session')
  @HttpCode(200)
  session(@Body() body: WidgetSessionDto, @Req() request: unknown): Promise<WidgetSessionResponse> {
    return this.sessions.start(body, request);
  }
}
