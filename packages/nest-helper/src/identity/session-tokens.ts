import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { HelperHttpError } from '../errors.js';
import { HttpStatus } from '@nestjs/common';
import type { ResolvedHelperOptions } from '../helper.options.js';
import { InjectResolvedHelperOptions } from '../helper.tokens.js';
import { deriveKeyObjects } from './derived-keys.js';

export const IDENTIFIED_SESSION_SECONDS = 12 * 60 * 60;
export const ANONYMOUS_SESSION_SECONDS = 7 * 24 * 60 * 60;
/** Tokens longer than this are refused unread. */
export const MAX_TOKEN_LENGTH = 4096;

/** Who a session token stands for. */
export type WidgetSession =
  | { kind: 'identified'; mailbox: string; email: string }
  | { kind: 'anonymous'; mailbox: string; visitorId: string };

interface SessionClaims {
  kind: WidgetSession['kind'];
  mbx: string;
  sub: string;
}

/** Issues and checks widget session tokens (JWT, HS256, keys derived per SPEC 1). */
@Injectable()
export class SessionTokens {
  /** One signer per derived key, current first: a token from before a rotation still verifies. */
  private readonly signers: JwtService[];

  constructor(@InjectResolvedHelperOptions() options: ResolvedHelperOptions) {
    this.signers = deriveKeyObjects(options.hmacSecrets, 'session token').map(
      (key) =>
        new JwtService({
          secret: key,
          signOptions: { algorithm: 'HS256' },
          verifyOptions: { algorithms: ['HS256'] },
        }),
    );
  }

  issue(session: WidgetSession): { token: string; expiresAt: Date } {
    const seconds =
      session.kind === 'identified' ? IDENTIFIED_SESSION_SECONDS : ANONYMOUS_SESSION_SECONDS;
    const claims: SessionClaims = {
      kind: session.kind,
      mbx: session.mailbox,
      sub: session.kind === 'identified' ? session.email : session.visitorId,
    };
    const signer = this.signers[0]!;
    const token = signer.sign(claims, { expiresIn: seconds });
    const { exp } = signer.decode<{ exp: number }>(token);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** A new anonymous visitor. */
  newAnonymous(mailbox: string): WidgetSession {
    return { kind: 'anonymous', mailbox, visitorId: randomUUID() };
  }

  /**
   * The session a token stands for; throws a 401 `session_expired` or `invalid_session`.
   * Only HS256 is accepted, so a token cannot choose a weaker algorithm or none.
   */
  verify(token: string): WidgetSession {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      throw invalidSession();
    }
    for (const signer of this.signers) {
      try {
        const claims = signer.verify<SessionClaims & { exp: number }>(token);
        return toSession(claims);
      } catch (error) {
        if ((error as Error).name === 'TokenExpiredError') {
          throw new HelperHttpError(
            HttpStatus.UNAUTHORIZED,
            'session_expired',
            'The session has expired: start a new one.',
          );
        }
        // Signed with another key, or not a token at all: try the next key.
      }
    }
    throw invalidSession();
  }

  /** Like `verify`, but answers `null` instead of throwing: for optional tokens. */
  tryVerify(token: string | undefined): WidgetSession | null {
    if (token === undefined) return null;
    try {
      return this.verify(token);
    } catch {
      return null;
    }
  }
}

const invalidSession = () =>
  new HelperHttpError(
    HttpStatus.UNAUTHORIZED,
    'invalid_session',
    'The session token is not valid: start a new session.',
  );

function toSession(claims: SessionClaims): WidgetSession {
  if (typeof claims.mbx !== 'string' || typeof claims.sub !== 'string') throw invalidSession();
  if (claims.kind === 'identified')
    return { kind: 'identified', mailbox: claims.mbx, email: claims.sub };
  if (claims.kind === 'anonymous')
    return { kind: 'anonymous', mailbox: claims.mbx, visitorId: claims.sub };
  throw invalidSession();
}
