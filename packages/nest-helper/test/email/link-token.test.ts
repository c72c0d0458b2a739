import { describe, expect, it } from '@jest/globals';
import { CHAT_LINK_TTL_MS, ChatLinkTokens } from '../../src/email/link-token.js';
import { secretForms, OTHER_SECRET, PREVIOUS_SECRET, SECRET } from '../support/secrets.js';

const claims = { conversationId: 'cnv_7Hq2kX9pLm', email: 'ann@example.net' };
const NOW = Date.UTC(2025, 2, 1, 12);

describe('chat link tokens', () => {
  const tokens = new ChatLinkTokens([SECRET]);

  it('verifies what it issued, for 7 days by default', () => {
    const { token, expiresAt } = tokens.issue(claims, { now: NOW });
    expect(expiresAt.getTime()).toBe(NOW + CHAT_LINK_TTL_MS);
    expect(tokens.verify(token, { now: NOW + 1000 })).toEqual({ ok: true, ...claims, expiresAt });
  });

  it('is URL-safe and carries neither a secret nor a derived key', () => {
    const { token } = tokens.issue(claims, { now: NOW });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    for (const form of secretForms()) expect(token).not.toContain(form);
  });

  it('refuses to carry a bare numeric conversation id', () => {
    expect(() => tokens.issue({ ...claims, conversationId: '42' })).toThrow(/public id/);
  });

  it('is expired once its time is up, not before', () => {
    const { token } = tokens.issue(claims, { now: NOW, ttlMs: 60_000 });
    expect(tokens.verify(token, { now: NOW + 59_999 }).ok).toBe(true);
    expect(tokens.verify(token, { now: NOW + 60_000 })).toEqual({ ok: false, reason: 'expired' });
  });

  it('is invalid when any character of it changed', () => {
    const { token } = tokens.issue(claims, { now: NOW });
    const [payload, signature] = token.split('.') as [string, string];
    const forged = Buffer.from(
      JSON.stringify({ c: 'cnv_someone_else', e: 'ann@example.net', x: NOW + CHAT_LINK_TTL_MS }),
    ).toString('base64url');
    const flip = (text: string, at: number) =>
      text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    for (const tampered of [
      `${forged}.${signature}`,
      `${flip(payload, 3)}.${signature}`,
      `${payload}.${flip(signature, 10)}`,
      `${payload}.${signature}x`,
      `${payload}${signature}`,
      '',
      'x'.repeat(5000),
    ]) {
      expect(tokens.verify(tampered, { now: NOW })).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(tokens.verify(undefined)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('keeps working across a secret rotation, and not with an unrelated secret', () => {
    const { token } = new ChatLinkTokens([PREVIOUS_SECRET]).issue(claims, { now: NOW });
    expect(new ChatLinkTokens([SECRET, PREVIOUS_SECRET]).verify(token, { now: NOW }).ok).toBe(true);
    expect(new ChatLinkTokens([SECRET, OTHER_SECRET]).verify(token, { now: NOW })).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });
});
