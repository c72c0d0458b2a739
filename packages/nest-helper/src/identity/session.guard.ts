import {
  createParamDecorator,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { HelperHttpError } from '../errors.js';
import { HttpStatus } from '@nestjs/common';
import { SessionTokens, type WidgetSession } from './session-tokens.js';

const SESSION_KEY = 'helperSession';

interface SessionRequest {
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  [SESSION_KEY]?: WidgetSession;
}

/**
 * Lets a request in when it carries a valid widget session token: `Authorization: Bearer <token>`,
 * or `?token=` where a header cannot be set (EventSource). Read the session with
 * `@WidgetSessionParam()`.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(private readonly tokens: SessionTokens) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<SessionRequest>();
    const token = bearerToken(request.headers.authorization) ?? queryToken(request.query?.token);
    if (token === undefined) {
      throw new HelperHttpError(
        HttpStatus.UNAUTHORIZED,
        'session_required',
        'A widget session token is required: send Authorization: Bearer <token>.',
      );
    }
    request[SESSION_KEY] = this.tokens.verify(token);
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
