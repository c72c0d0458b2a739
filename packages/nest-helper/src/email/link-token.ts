import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { deriveKeyObjects } from '../identity/derived-keys.js';

// The token of the email-to-chat link (`<widgetHost>?helper_chat=<token>`, SPEC 7 and 11):
// `base64url(JSON { c, e, x }) "." base64url(HMAC-SHA256)`, keyed with the 'chat link' key
// derived from the HMAC secrets, never with a secret itself.
//
// Signed, not encrypted: it travels only to the address it names, and what it shows is that
// address and the conversation's opaque public id (refused here when it is a bare number), which
// is useless without a valid signature. Encrypting would hide the address from logs that record
// full URLs; the widget host should keep the query out of analytics either way.

/** How long a chat link opens the conversation: 7 days. */
export const CHAT_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Tokens longer than this are refused unread. */
const MAX_TOKEN_LENGTH = 2048;
// A payload, a dot, and 32 signature bytes in base64url (43 characters).
const TOKEN_SHAPE = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

export interface ChatLinkClaims {
  /** The conversation's opaque public id (never a database row number). */
  conversationId: string;
  /** The customer's address the link was sent to. */
  email: string;
}

export type ChatLinkVerification =
  | { ok: true; conversationId: string; email: string; expiresAt: Date }
  | { ok: false; reason: 'expired' | 'invalid' };

interface Payload {
  c: string;
  e: string;
  x: number;
}

const isPayload = (value: unknown): value is Payload => {
  const payload = value as Partial<Payload> | null;
  return (
    typeof payload === 'object' &&
    payload !== null &&
    typeof payload.c === 'string' &&
    payload.c !== '' &&
    typeof payload.e === 'string' &&
    payload.e !== '' &&
    Number.isSafeInteger(payload.x)
  );
};

/** Issues and verifies chat link tokens; rotation-safe like the session tokens. */
export class ChatLinkTokens {
  /** One key per HMAC secret, current first: a link mailed before a rotation still opens. */
  private readonly keys: KeyObject[];

  constructor(secrets: readonly string[]) {
    this.keys = deriveKeyObjects(secrets, 'chat link');
  }

  issue(
    claims: ChatLinkClaims,
    { ttlMs = CHAT_LINK_TTL_MS, now = Date.now() }: { ttlMs?: number; now?: number } = {},
  ): { token: string; expiresAt: Date } {
    if (/^\d+$/.test(claims.conversationId)) {
      throw new TypeError("A chat link takes the conversation's public id, not a numeric row id.");
    }
    const payload: Payload = { c: claims.conversationId, e: claims.email, x: now + ttlMs };
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    const signature = this.sign(this.keys[0]!, body).toString('base64url');
    return { token: `${body}.${signature}`, expiresAt: new Date(payload.x) };
  }

  verify(token: unknown, { now = Date.now() }: { now?: number } = {}): ChatLinkVerification {
    const invalid = { ok: false, reason: 'invalid' } as const;
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return invalid;
    const match = TOKEN_SHAPE.exec(token);
    if (match === null) return invalid;
    const body = match[1]!;
    const signature = Buffer.from(match[2]!, 'base64url');
    const signed = this.keys.some((key) => {
      const expected = this.sign(key, body);
      return signature.length === expected.length && timingSafeEqual(signature, expected);
    });
    if (!signed) return invalid;
    const payload = this.decode(body);
    if (payload === null) return invalid;
    if (now >= payload.x) return { ok: false, reason: 'expired' };
    return {
      ok: true,
      conversationId: payload.c,
      email: payload.e,
      expiresAt: new Date(payload.x),
    };
  }

  private sign(key: KeyObject, body: string): Buffer {
    return createHmac('sha256', key).update(body).digest();
  }

  private decode(body: string): Payload | null {
    try {
      const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      return isPayload(payload) ? payload : null;
    } catch {
      return null;
    }
  }
}
