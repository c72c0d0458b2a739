import { ownerKeyForEmail } from '@helperkit/core';
import type { WidgetSession } from '../identity/session-tokens.js';
import type { ConversationOwner } from './chat.records.js';

/**
 * The owner key of a customer's conversations. Addresses compare without ASCII case, as mail
 * systems treat them, so the email from "Ann@Example.com" and the chat of a customer verified as
 * "ann@example.com" are the same customer's; no Unicode folding, so a look-alike address (the
 * Kelvin sign in "\u212Aate@…") is never Kate's (docs/security-model.md, "Identity").
 */
export const emailOwner = (email: string): ConversationOwner => `email:${ownerKeyForEmail(email)}`;

/** Whose conversations a widget session may see. */
export const ownerOf = (session: WidgetSession): ConversationOwner =>
  session.kind === 'identified' ? emailOwner(session.email) : `visitor:${session.visitorId}`;
