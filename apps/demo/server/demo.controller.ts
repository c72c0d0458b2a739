import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  Post,
  Req,
  Res,
  UseGuards,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { HelperMetrics } from '@helperkit/nest/metrics';
import { DEMO_CUSTOMERS, LOGIN_COOKIE, SUPPORT_ADDRESS, resolveDemoCustomer } from './customers.js';
import { DemoConfig } from './demo-config.js';
import { LoginDto, TestEmailDto } from './demo.dto.js';
import { DemoRuntime } from './demo-runtime.js';
import { MailCatcher } from './mail-catcher.service.js';
import { StaffGuard } from './staff.guard.js';
import { composeTestEmail } from './test-email.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The demo's own endpoints, under `/demo`: the demo login (a stand-in for the host's real one),
 * the staff token for the dashboard, the HMAC secret's rotation status, the test email and the
 * mail catcher. None of this is part of helperkit.
 */
/** `localhost`, `127.0.0.1` or `[::1]`, with or without a port. */
function isLoopbackHost(host: string | undefined): boolean {
  const name = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  return name === 'localhost' || name === '127.0.0.1' || name === '[::1]';
}

@Controller('demo')
@UsePipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }))
export class DemoController {
  constructor(
    private readonly config: DemoConfig,
    private readonly runtime: DemoRuntime,
    private readonly catcher: MailCatcher,
    private readonly metrics: HelperMetrics,
  ) {}

  /** The demo customers to log in as, and who is logged in now (`null`: anonymous). */
  @Get('customers')
  customers(@Req() request: Request) {
    return {
      customers: DEMO_CUSTOMERS.map(({ email, name, value }) => ({ email, name, value })),
      current: resolveDemoCustomer(request)?.email ?? null,
    };
  }

  /** Logs in as a demo customer (sets the cookie that `resolveCustomer` reads), or out. */
  @Post('login')
  @HttpCode(200)
  login(@Body() body: LoginDto, @Res({ passthrough: true }) response: Response) {
    const email = body.email ?? null;
    if (email === null) response.clearCookie(LOGIN_COOKIE, { path: '/' });
    else response.cookie(LOGIN_COOKIE, email, { path: '/', httpOnly: true, sameSite: 'lax' });
    return { current: email };
  }

  /**
   * The staff token, for the dashboard opened on this machine only: a demo shortcut for a staff
   * login. From elsewhere the dashboard asks for the token (it is in the server's log when
   * generated, or in DEMO_STAFF_TOKEN).
   */
  @Get('staff-token')
  staffToken(@Req() request: Request) {
    // Both the socket and the Host: a page from another site, loaded in a browser on this machine
    // through a name that points at loopback (DNS rebinding), arrives with that site's Host.
    if (
      !LOOPBACK.has(request.socket.remoteAddress ?? '') ||
      !isLoopbackHost(request.headers.host)
    ) {
      throw new ForbiddenException(
        'The staff token is handed out on the demo machine only: enter it in the dashboard.',
      );
    }
    return { token: this.config.staffToken };
  }

  /**
   * How many HMAC secrets are configured, never their values, and when the previous one (index 1)
   * last verified an identity, read from the metrics (since the server started).
   */
  @Get('secret-status')
  @UseGuards(StaffGuard)
  async secretStatus() {
    const previousLastUsed = await this.metrics.lastVerifiedAt('default', 1);
    return {
      previousLastUsed: previousLastUsed?.toISOString() ?? null,
      current:
        this.config.hmacSecretSource === 'environment'
          ? 'configured (HELPER_HMAC_SECRET)'
          : 'configured (generated for development)',
      previous: this.config.hmacSecrets.length - 1,
    };
  }

  /**
   * Sends a test email to the support address the way a mail provider would deliver it: a raw
   * RFC 5322 message posted to helperkit's inbound endpoint with the inbound secret, which
   * stays on the server.
   */
  @Post('test-email')
  @HttpCode(200)
  @UseGuards(StaffGuard)
  async testEmail(@Body() body: TestEmailDto) {
    const fromName = DEMO_CUSTOMERS.find((customer) => customer.email === body.from)?.name;
    const raw = composeTestEmail({ ...body, kind: body.kind ?? 'customer', fromName });
    const response = await fetch(`${this.runtime.internalUrl}/helper/email/inbound`, {
      method: 'POST',
      headers: {
        'content-type': 'message/rfc822',
        authorization: `Bearer ${this.config.inboundSecret}`,
      },
      body: raw,
    });
    return { status: response.status, answer: (await response.json()) as unknown, raw };
  }

  /** What the local SMTP catcher received (the auto-replies), newest first. */
  @Get('mail')
  @UseGuards(StaffGuard)
  mail() {
    return {
      smtp: this.catcher.url,
      supportAddress: SUPPORT_ADDRESS,
      messages: this.catcher.list(),
    };
  }

  @Delete('mail')
  @HttpCode(204)
  @UseGuards(StaffGuard)
  clearMail(): void {
    this.catcher.clear();
  }
}
