import {
  JsonWebTokenError,
  JwtSecretRequestType,
  JwtService,
  TokenExpiredError,
} from '@nestjs/jwt';
import type { KeyObject } from 'node:crypto';
import type { TokenKeyring } from './keyring.js';

/** What every helperkit token carries: whom it stands for, and the mailbox it acts in. */
export interface BaseClaims {
  sub: string;
  mbx: string;
}

export type TokenCheck<TClaims> =
  | { ok: true; claims: TClaims & BaseClaims & { exp: number } }
  | { ok: false; reason: 'expired' | 'invalid' };

/** Tokens longer than this are refused unread. */
export const MAX_TOKEN_LENGTH = 4096;

const isClaims = (value: unknown): value is BaseClaims & { exp: number } => {
  const claims = value as Partial<BaseClaims & { exp: number }> | null;
  return (
    typeof claims === 'object' &&
    claims !== null &&
    typeof claims.sub === 'string' &&
    typeof claims.mbx === 'string' &&
    Number.isSafeInteger(claims.exp)
  );
};

/**
 * The one token mechanism: a JWT signed with HS256 (pinned) under a key derived for one purpose,
 * named by its `kid` and valid for one audience, with an `exp` always (docs/security-model.md,
 * "Tokens"). The signature is checked before anything the token says is believed.
 */
export class HelperJwt<TClaims extends object = object> {
  private readonly jwt: JwtService;

  constructor(
    private readonly keyring: TokenKeyring,
    private readonly audience: string,
  ) {
    this.jwt = new JwtService({
      secretOrKeyProvider: (type, tokenOrPayload) =>
        type === JwtSecretRequestType.SIGN
          ? this.signingKeyFor(tokenOrPayload as BaseClaims)
          : this.verifyingKeyFor(tokenOrPayload as string),
      signOptions: { algorithm: 'HS256', audience },
      verifyOptions: { algorithms: ['HS256'], audience },
    });
  }

  /** Signs `claims` for `expiresInSeconds` from `now` (ms, default the current time). */
  sign(
    claims: TClaims & BaseClaims,
    expiresInSeconds: number,
    now = Date.now(),
  ): { token: string; expiresAt: Date } {
    const kid = this.keyring.signingKey(claims.mbx)?.kid;
    const token = this.jwt.sign(
      { ...claims, iat: Math.floor(now / 1000) },
      { keyid: kid, expiresIn: expiresInSeconds },
    );
    const { exp } = this.jwt.decode<{ exp: number }>(token);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** Checks signature, key, audience and `exp` (at `now`, ms), in that order. */
  verify(token: unknown, now = Date.now()): TokenCheck<TClaims> {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      return { ok: false, reason: 'invalid' };
    }
    try {
      const claims: unknown = this.jwt.verify(token, { clockTimestamp: Math.floor(now / 1000) });
      return isClaims(claims)
        ? { ok: true, claims: claims as TClaims & BaseClaims & { exp: number } }
        : { ok: false, reason: 'invalid' };
    } catch (error) {
      if (error instanceof TokenExpiredError) return { ok: false, reason: 'expired' };
      if (error instanceof JsonWebTokenError || error instanceof UnknownKeyError) {
        return { ok: false, reason: 'invalid' };
      }
      throw error;
    }
  }

  private signingKeyFor(claims: BaseClaims): KeyObject {
    const key = this.keyring.signingKey(claims.mbx);
    if (key === undefined) throw new TypeError(`No key for mailbox "${claims.mbx}".`);
    return key.key;
  }

  /** The key the token's `kid` names, when it belongs to the mailbox the token claims. */
  private verifyingKeyFor(token: string): KeyObject {
    const decoded: unknown = this.jwt.decode(token, { complete: true });
    const { header, payload } = (decoded ?? {}) as {
      header?: { kid?: unknown };
      payload?: { mbx?: unknown };
    };
    const key = this.keyring.verifyingKey(header?.kid, payload?.mbx);
    if (key === undefined) throw new UnknownKeyError();
    return key;
  }
}

/** The token names no key of the mailbox it claims: signed elsewhere, or forged. */
class UnknownKeyError extends Error {}
