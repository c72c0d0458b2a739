import {
  createParamDecorator,
  HttpStatus,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HelperHttpError } from '../errors.js';
import { SettingsService } from '../settings/settings.service.js';
import { anonymousNotAllowed } from './session.service.js';
import { SessionTokens, type WidgetSession } from './session-tokens.js';

const SESSION_KEY = 'helperSession';
const QUERY_TOKEN = 'helperkit:query-token';

interface SessionRequest {
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  [SESSION_KEY]?: WidgetSession;
}

/**
 * Lets a route take the token as `?token=` too, for `EventSource`, which cannot set headers. Only
 * the customer event stream has it: a token in a URL ends up in access logs.
 */
export const AllowQueryToken = (): MethodDecorator => SetMetadata(QUERY_TOKEN, true);

/**
 * Lets a request in when it carries a valid widget session token (`Authorization: Bearer
 * <token>`), and, for an anonymous visitor, only while the mailbox allows anonymous visitors:
 * a token issued before `allowAnonymous` was turned off stops working at once. Read the session
 * with `@WidgetSessionParam()`.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly tokens: SessionTokens,
    private readonly reflector: Reflector,
    private readonly settings: SettingsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SessionRequest>();
    const queryAllowed = this.reflector.get<boolean>(QUERY_TOKEN, context.getHandler()) === true;
    const token =
      bearerToken(request.headers.authorization) ??
      (queryAllowed ? queryToken(request.query?.token) : undefined);
    if (token === undefined) {
      throw new HelperHttpError(
        HttpStatus.UNAUTHORIZED,
        'session_required',
        'A widget session token is required: send Authorization: Bearer <token>.',
      );
    }
    const session = this.tokens.verify(token);
    if (session.kind === 'anonymous') {
      const { allowAnonymous } = await this.settings.get(session.mailbox);
      if (!allowAnonymous) throw anonymousNotAllowed();
    }
    request[SESSION_KEY] = session;
    return true;
  }
}

const bearerToken = (header: string | string[] | undefined): string | undefined => {
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
};

const queryToken = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

/** The widget session that `SessionGuard` verified on this request, if it ran. */
export const sessionOf = (context: ExecutionContext): WidgetSession | undefined =>
  context.switchToHttp().getRequest<SessionRequest>()[SESSION_KEY];

/** The widget session that `SessionGuard` verified. */
export const WidgetSessionParam = createParamDecorator(
  (_data: unknown, context: ExecutionContext): WidgetSession => sessionOf(context)!,
);
