import {
  createParamDecorator,
  HttpStatus,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { AdminGuard } from '../admin.guard.js';
import { ownerOf } from '../chat/owners.js';
import { HelperHttpError } from '../errors.js';
import { sessionOf, SessionGuard } from '../identity/session.guard.js';
import { getHelperMailbox, HelperMailboxes } from '../mailboxes/mailboxes.service.js';
import type { AttachmentAccess } from './attachments.service.js';

const ACCESS = Symbol('helperkit.attachmentAccess');

interface AccessRequest {
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  [ACCESS]?: AttachmentAccess;
}

/**
 * Who asks for a file, in this order: a signed link (`?token=`), a widget session (Bearer), or
 * the host's admin guard with `?mailbox=`. Whether that one may read the file is the service's
 * decision, which answers 404 to everyone else (docs/security-model.md, "Attachments").
 */
@Injectable()
export class AttachmentAccessGuard implements CanActivate {
  constructor(
    private readonly sessions: SessionGuard,
    private readonly admin: AdminGuard,
    private readonly mailboxes: HelperMailboxes,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AccessRequest>();
    const token = request.query?.token;
    if (token !== undefined) {
      request[ACCESS] = { kind: 'link', token };
      return true;
    }
    let sessionError: unknown = null;
    if (/^Bearer\s/i.test(String(request.headers.authorization ?? ''))) {
      try {
        await this.sessions.canActivate(context);
        const session = sessionOf(context)!;
        request[ACCESS] = { kind: 'customer', mailbox: session.mailbox, owner: ownerOf(session) };
        return true;
      } catch (error) {
        // Not a widget session: the host's staff may use Bearer tokens of their own.
        sessionError = error;
      }
    }
    const mailbox = this.mailboxes.get(getHelperMailbox(request));
    if (await this.admin.canActivate(context)) {
      request[ACCESS] = { kind: 'staff', mailbox: mailbox.slug };
      return true;
    }
    throw (
      sessionError ??
      new HelperHttpError(
        HttpStatus.UNAUTHORIZED,
        'unauthorized',
        'Open a file with its signed link, a widget session token or staff access.',
      )
    );
  }
}

/** Who the guard found asking. */
export const AttachmentAccessParam = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AttachmentAccess =>
    context.switchToHttp().getRequest<AccessRequest>()[ACCESS]!,
);
