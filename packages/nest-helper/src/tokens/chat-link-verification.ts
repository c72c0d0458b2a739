/** What checking a chat link's token answers. */
export type ChatLinkVerification =
  | { ok: true; conversationId: string; email: string; mailbox: string; expiresAt: Date }
  | { ok: false; reason: 'expired' | 'invalid' };
