import type { KeyObject } from 'node:crypto';
import { bytesEqual, hmacSha256 } from '@helperkit/core/node';
import { DEFAULT_MAILBOX } from '../helper.options.js';
import type { ChatLinkVerification } from './chat-link-verification.js';

// Chat links mailed before links became JWTs: `base64url(JSON { c, e, x })` "." base64url(HMAC).
// They stay valid until they expire (7 days after mailing), and only when they were mailed before
// this date, so this file can be deleted a week after it.
const MAILED_BEFORE = Date.parse('2026-12-01T00:00:00Z');
const TTL_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_TOKEN_LENGTH = 2048;
const TOKEN_SHAPE = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

const invalid = { ok: false, reason: 'invalid' } as const;

interface Payload {
  c: string;
  e: string;
  x: number;
}

const decode = (body: string): Payload | null => {
  try {
    const value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Payload>;
    return typeof value?.c === 'string' &&
      value.c !== '' &&
      typeof value.e === 'string' &&
      value.e !== '' &&
      Number.isSafeInteger(value.x)
      ? (value as Payload)
      : null;
  } catch {
    return null;
  }
};

/** Verifies a chat link of the old format: signature first, then what it says. */
export function verifyUnnamedChatLink(
  token: unknown,
  keys: readonly KeyObject[],
  now: number,
): ChatLinkVerification {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return invalid;
  const match = TOKEN_SHAPE.exec(token);
  if (match === null) return invalid;
  const body = match[1]!;
  const signature = Buffer.from(match[2]!, 'base64url');
  const signed = keys.some((key) => bytesEqual(signature, hmacSha256(key, body)));
  const payload = signed ? decode(body) : null;
  if (payload === null || payload.x - TTL_MS >= MAILED_BEFORE) return invalid;
  if (now >= payload.x) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    conversationId: payload.c,
    email: payload.e,
    mailbox: DEFAULT_MAILBOX,
    expiresAt: new Date(payload.x),
  };
}
