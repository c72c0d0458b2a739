import {
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DemoConfig } from './demo-config.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * The demo's support staff: whoever holds the staff token, as `Authorization: Bearer <token>` or,
 * for EventSource (which cannot set headers), `?token=<token>`. helperkit uses it as its
 * `adminGuard` for the settings and staff endpoints; the demo's own staff endpoints use it too.
 */
@Injectable()
export class StaffGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(config: DemoConfig) {
    this.expected = digest(config.staffToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<IncomingMessage>();
    const token = bearerToken(request) ?? queryToken(request);
    if (token === undefined) {
      throw new UnauthorizedException(
        'Staff login required: send the staff token as "Authorization: Bearer <token>".',
      );
    }
    // Equal-length digests, so the comparison takes the same time whatever the token.
    if (!timingSafeEqual(digest(token), this.expected)) {
      throw new UnauthorizedException('The staff token is not valid.');
    }
    return true;
  }
}

function bearerToken(request: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

function queryToken(request: IncomingMessage): string | undefined {
  const token = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token');
  return token === null || token === '' ? undefined : token;
}
