import { randomUUID } from 'node:crypto';

// Every email helperkit sends (auto-replies, continuity emails) gets its Message-ID here: a random
// UUID at the mailbox's domain. Knowing the shape lets the inbound pipeline look an id up among
// its own only when it could be one of them (docs/email.md, "Our Message-IDs").
const OWN_ID_SHAPE = /^<[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@[^<>@\s]+>$/i;

/** A new Message-ID for an email sent from `mailboxAddress`, at its domain. */
export const ownMessageId = (mailboxAddress: string): string =>
  `<${randomUUID()}@${mailboxAddress.slice(mailboxAddress.lastIndexOf('@') + 1)}>`;

/** Whether `id` has the shape of one of our Message-IDs; an id without it is never ours. */
export const couldBeOwnMessageId = (id: string): boolean => OWN_ID_SHAPE.test(id);
