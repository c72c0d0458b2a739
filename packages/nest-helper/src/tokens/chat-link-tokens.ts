import { Injectable } from '@nestjs/common';
import { DEFAULT_MAILBOX } from '../helper.options.js';
import { HelperMailboxes } from '../mailboxes/mailboxes.service.js';
import { HelperJwt } from './helper-jwt.js';
import { TokenKeyring } from './keyring.js';
import type { ChatLinkVerification } from './chat-link-verification.js';
import { verifyUnnamedChatLink } from './unnamed-chat-link.js';

export type { ChatLinkVerification };

// The token of the email-to-chat link (`<widgetHost>?helper_chat=<token>`): a helperkit JWT with
// its own audience and derived key (docs/security-model.md, "Tokens"). Signed, not encrypted: it
// travels only to the address it names, and what it shows is that address and the conversation's
// opaque public id, useless without a valid signature.

/** How long a chat link opens the conversation: 7 days. */
export const CHAT_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const CHAT_LINK_AUDIENCE = 'helperkit:chat-link';

export interface ChatLinkClaims {
  /** The conversation's opaque public id (never a database row number). */
  conversationId: string;
  /** The customer's address the link was sent to. */
  email: string;
  /** The conversation's mailbox (default `default`). */
  mailbox?: string;
}

/** Issues and verifies chat link tokens; rotation-safe like the session tokens. */
@Injectable()
export class ChatLinkTokens {
  private readonly keyring: TokenKeyring;
  private readonly jwt: HelperJwt<{ cid: string }>;

  constructor(mailboxes: HelperMailboxes) {
    this.keyring = new TokenKeyring(mailboxes.all(), 'chat link');
    this.jwt = new HelperJwt(this.keyring, CHAT_LINK_AUDIENCE);
  }

  issue(
    { conversationId, email, mailbox = DEFAULT_MAILBOX }: ChatLinkClaims,
    { ttlMs = CHAT_LINK_TTL_MS, now = Date.now() }: { ttlMs?: number; now?: number } = {},
  ): { token: string; expiresAt: Date } {
    if (/^\d+$/.test(conversationId)) {
      throw new TypeError("A chat link takes the conversation's public id, not a numeric row id.");
    }
    return this.jwt.sign(
      { cid: conversationId, sub: email, mbx: mailbox },
      Math.ceil(ttlMs / 1000),
      now,
    );
  }

  verify(token: unknown, { now = Date.now() }: { now?: number } = {}): ChatLinkVerification {
    const check = this.jwt.verify(token, now);
    if (check.ok) {
      const { cid, sub, mbx, exp } = check.claims;
      if (typeof cid !== 'string' || cid === '') return { ok: false, reason: 'invalid' };
      return {
        ok: true,
        conversationId: cid,
        email: sub,
        mailbox: mbx,
        expiresAt: new Date(exp * 1000),
      };
    }
    if (check.reason === 'expired') return check;
    return verifyUnnamedChatLink(token, this.keyring.keysOf(DEFAULT_MAILBOX), now);
  }
}
