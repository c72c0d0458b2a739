import { HttpStatus, Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { HelperHttpError } from '../errors.js';
import { DEFAULT_MAILBOX } from '../helper.options.js';
import { HelperMailboxes } from '../mailboxes/mailboxes.service.js';
import { HelperJwt, MAX_TOKEN_LENGTH } from '../tokens/helper-jwt.js';
import { TokenKeyring } from '../tokens/keyring.js';

export { MAX_TOKEN_LENGTH };

export const IDENTIFIED_SESSION_SECONDS = 12 * 60 * 60;
export const ANONYMOUS_SESSION_SECONDS = 7 * 24 * 60 * 60;
export const SESSION_AUDIENCE = 'helperkit:session';

/**
 * Session tokens issued before tokens named their key (`kid`) and audience: they are accepted
 * until they expire (anonymous ones live 7 days), and only when issued before this date, so this
 * path can be deleted a week after it. Such a token can only belong to the default mailbox.
 */
const UNNAMED_KEY_TOKENS_ISSUED_BEFORE = Date.parse('2026-12-01T00:00:00Z') / 1000;

/** Who a session token stands for. */
export type WidgetSession = (
  | { kind: 'identified'; mailbox: string; email: string }
  | { kind: 'anonymous'; mailbox: string; visitorId: string }
) & {
  /** When the token that stands for it expires (absent for a session not read from a token). */
  expiresAt?: Date;
};

interface SessionClaims {
  kind: WidgetSession['kind'];
}

/** Issues and checks widget session tokens (docs/security-model.md, "Tokens"). */
@Injectable()
export class SessionTokens {
  private readonly jwt: HelperJwt<SessionClaims>;
  private readonly keyring: TokenKeyring;
  private readonly unnamedKeyVerifier = new JwtService({
    verifyOptions: { algorithms: ['HS256'] },
  });

  constructor(mailboxes: HelperMailboxes) {
    this.keyring = new TokenKeyring(mailboxes.all(), 'session token');
    this.jwt = new HelperJwt<SessionClaims>(this.keyring, SESSION_AUDIENCE);
  }

  issue(session: WidgetSession): { token: string; expiresAt: Date } {
    const seconds =
      session.kind === 'identified' ? IDENTIFIED_SESSION_SECONDS : ANONYMOUS_SESSION_SECONDS;
    return this.jwt.sign(
      {
        kind: session.kind,
        mbx: session.mailbox,
        sub: session.kind === 'identified' ? session.email : session.visitorId,
      },
      seconds,
    );
  }

  /** A new anonymous visitor. */
  newAnonymous(mailbox: string): WidgetSession {
    return { kind: 'anonymous', mailbox, visitorId: randomUUID() };
  }

  /** The session a token stands for; throws a 401 `session_expired` or `invalid_session`. */
  verify(token: string): WidgetSession {
    const check = this.jwt.verify(token);
    if (check.ok) {
      const session = toSession(check.claims.kind, check.claims.mbx, check.claims.sub);
      return { ...session, expiresAt: new Date(check.claims.exp * 1000) };
    }
    if (check.reason === 'expired') throw sessionExpired();
    const unnamed = this.verifyUnnamedKeyToken(token);
    if (unnamed) return unnamed;
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

  private verifyUnnamedKeyToken(token: string): WidgetSession | null {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
    const header = this.unnamedKeyVerifier.decode<{ header?: { kid?: unknown } } | null>(token, {
      complete: true,
    })?.header;
    if (header === undefined || header.kid !== undefined) return null;
    for (const key of this.keyring.keysOf(DEFAULT_MAILBOX)) {
      try {
        const claims = this.unnamedKeyVerifier.verify<
          SessionClaims & { mbx: string; sub: string; iat: number; exp: number }
        >(token, { secret: key as unknown as Buffer });
        if (!(claims.iat < UNNAMED_KEY_TOKENS_ISSUED_BEFORE) || typeof claims.exp !== 'number') {
          return null;
        }
        if (claims.mbx !== DEFAULT_MAILBOX || typeof claims.sub !== 'string') return null;
        return {
          ...toSession(claims.kind, claims.mbx, claims.sub),
          expiresAt: new Date(claims.exp * 1000),
        };
      } catch (error) {
        if (error instanceof TokenExpiredError) throw sessionExpired();
        // Signed with another key: try the next one.
      }
    }
    return null;
  }
}

const sessionExpired = () =>
  new HelperHttpError(
    HttpStatus.UNAUTHORIZED,
    'session_expired',
    'The session has expired: start a new one.',
  );

const invalidSession = () =>
  new HelperHttpError(
    HttpStatus.UNAUTHORIZED,
    'invalid_session',
    'The session token is not valid: start a new session.',
  );

function toSession(kind: unknown, mailbox: string, subject: string): WidgetSession {
  if (kind === 'identified') return { kind, mailbox, email: subject };
  if (kind === 'anonymous') return { kind, mailbox, visitorId: subject };
  throw invalidSession();
}
