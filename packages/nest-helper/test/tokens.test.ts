import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { SessionTokens } from '../src/identity/session-tokens.js';
import { resolveHelperOptions, type HelperModuleOptions } from '../src/helper.options.js';
import { HelperMailboxes } from '../src/mailboxes/mailboxes.service.js';
import { CHAT_LINK_TTL_MS, ChatLinkTokens } from '../src/tokens/chat-link-tokens.js';
import { JwtService } from '@nestjs/jwt';
import { deriveKey, keyIdOf } from '../src/tokens/derived-keys.js';
import { secretForms, OTHER_SECRET, PREVIOUS_SECRET, SECRET } from './support/secrets.js';

const claims = { conversationId: 'cnv_7Hq2kX9pLm', email: 'ann@example.net' };
const NOW = Date.UTC(2026, 11, 2, 12);

const mailboxesOf = (
  hmacSecrets: string[],
  mailboxes: HelperModuleOptions['mailboxes'] = [],
): HelperMailboxes =>
  new HelperMailboxes(
    resolveHelperOptions({ hmacSecrets, adminGuard: { canActivate: () => true }, mailboxes }),
  );

const linkTokens = (secrets: string[], mailboxes?: HelperModuleOptions['mailboxes']) =>
  new ChatLinkTokens(mailboxesOf(secrets, mailboxes));

const headerOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;

describe('chat link tokens', () => {
  const tokens = linkTokens([SECRET]);

  it('verifies what it issued, for 7 days by default', () => {
    const { token, expiresAt } = tokens.issue(claims, { now: NOW });
    expect(expiresAt.getTime()).toBe(NOW + CHAT_LINK_TTL_MS);
    expect(tokens.verify(token, { now: NOW + 1000 })).toEqual({
      ok: true,
      ...claims,
      mailbox: 'default',
      expiresAt,
    });
  });

  it('is a JWT with HS256, a key id and its own audience, carrying no secret or derived key', () => {
    const { token } = tokens.issue(claims, { now: NOW });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(headerOf(token)).toMatchObject({ alg: 'HS256', typ: 'JWT', kid: expect.any(String) });
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

  it('is invalid when any part of it changed, or when it is not a token at all', () => {
    const { token } = tokens.issue(claims, { now: NOW });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), cid: 'x' }),
    ).toString('base64url');
    const flip = (text: string, at: number) =>
      text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const unsigned = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    for (const tampered of [
      `${header}.${forged}.${signature}`,
      `${header}.${payload}.${flip(signature, 10)}`,
      `${unsigned}.${payload}.`,
      `${header}.${payload}`,
      '',
      'x'.repeat(5000),
    ]) {
      expect(tokens.verify(tampered, { now: NOW })).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(tokens.verify(undefined)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('keeps working across a secret rotation, and not with an unrelated secret', () => {
    const { token } = linkTokens([PREVIOUS_SECRET]).issue(claims, { now: NOW });
    expect(linkTokens([SECRET, PREVIOUS_SECRET]).verify(token, { now: NOW }).ok).toBe(true);
    expect(linkTokens([SECRET, OTHER_SECRET]).verify(token, { now: NOW })).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('opens only in the mailbox it was issued for', () => {
    const two = linkTokens([SECRET], [{ slug: 'sales', hmacSecrets: [OTHER_SECRET] }]);
    const sales = two.issue({ ...claims, mailbox: 'sales' }, { now: NOW });
    expect(two.verify(sales.token, { now: NOW })).toMatchObject({ ok: true, mailbox: 'sales' });
    // Rewriting the claimed mailbox breaks the signature, and the key belongs to `sales` only.
    const [header, payload] = sales.token.split('.') as [string, string];
    const moved = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload, 'base64url').toString()),
        mbx: 'default',
      }),
    ).toString('base64url');
    expect(two.verify(`${header}.${moved}.${sales.token.split('.')[2]}`, { now: NOW }).ok).toBe(
      false,
    );
  });

  it('is not a session token, nor a session token a chat link: each has its own audience', () => {
    const mailboxes = mailboxesOf([SECRET]);
    const session = new SessionTokens(mailboxes).issue({
      kind: 'identified',
      mailbox: 'default',
      email: 'ann@example.net',
    });
    expect(new ChatLinkTokens(mailboxes).verify(session.token).ok).toBe(false);
    const link = new ChatLinkTokens(mailboxes).issue(claims);
    expect(() => new SessionTokens(mailboxes).verify(link.token)).toThrow();
  });

  it('refuses a correctly signed token without `exp`', () => {
    const key = deriveKey(SECRET, 'session token');
    const kid = keyIdOf(key);
    const forever = new JwtService().sign(
      { kind: 'anonymous', mbx: 'default', sub: 'forever' },
      { secret: key, algorithm: 'HS256', keyid: kid, audience: 'helperkit:session' },
    );
    expect(() => new SessionTokens(mailboxesOf([SECRET])).verify(forever)).toThrow();
    const bounded = new JwtService().sign(
      { kind: 'anonymous', mbx: 'default', sub: 'bounded' },
      { secret: key, algorithm: 'HS256', keyid: kid, audience: 'helperkit:session', expiresIn: 60 },
    );
    expect(new SessionTokens(mailboxesOf([SECRET])).verify(bounded)).toMatchObject({
      kind: 'anonymous',
      visitorId: 'bounded',
    });
  });

  it('still opens a link of the old format mailed before the change, until it expires', () => {
    const mailedAt = Date.UTC(2026, 10, 29);
    const legacy = (expiresAt: number, key = deriveKey(SECRET, 'chat link')) => {
      const body = Buffer.from(
        JSON.stringify({ c: claims.conversationId, e: claims.email, x: expiresAt }),
      ).toString('base64url');
      return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
    };
    const old = legacy(mailedAt + CHAT_LINK_TTL_MS);
    expect(tokens.verify(old, { now: mailedAt + 1000 })).toMatchObject({ ok: true, ...claims });
    expect(tokens.verify(old, { now: mailedAt + CHAT_LINK_TTL_MS })).toEqual({
      ok: false,
      reason: 'expired',
    });
    // One that claims to have been mailed after the change was not made by helperkit.
    expect(tokens.verify(legacy(Date.UTC(2026, 11, 5) + CHAT_LINK_TTL_MS), { now: NOW }).ok).toBe(
      false,
    );
    expect(
      tokens.verify(legacy(mailedAt + CHAT_LINK_TTL_MS, deriveKey(OTHER_SECRET, 'chat link')), {
        now: mailedAt,
      }).ok,
    ).toBe(false);
  });
});
