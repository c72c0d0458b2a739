// Every reason an inbound email gets no automatic reply, in the order they are checked (the first
// that matches is reported), and the words staff read for each. See docs/loop-prevention.md.

/** Reasons the loop-prevention rules find in the message itself (skip-rules.ts), in order. */
export const RULE_REASONS = [
  'bounce',
  'return-path-null',
  'auto-submitted',
  'x-autoreply',
  'x-auto-response-suppress',
  'precedence',
  'list-headers',
  'list-server',
  'x-loop',
  'own-message-id',
  'vendor-vacation',
  'auto-subject',
  'system-sender',
  'self',
] as const;

export type RuleReason = (typeof RULE_REASONS)[number];

// Reasons the service decides with storage, settings and the sender's authentication.
export const UNAUTHENTICATED_SENDER = 'unauthenticated-sender';
export const FEATURE_OFF = 'feature-off';
export const NOT_FIRST_MESSAGE = 'not-first-message';
export const RATE_LIMITED = 'rate-limited';
export const REPLY_BUDGET = 'reply-budget';
/** A message kept for staff although it could not be parsed. */
export const UNPARSEABLE = 'unparseable';

/** Every reason, rules first, in the order they are checked. */
export const SKIP_REASONS = [
  ...RULE_REASONS,
  UNAUTHENTICATED_SENDER,
  FEATURE_OFF,
  NOT_FIRST_MESSAGE,
  RATE_LIMITED,
  REPLY_BUDGET,
  UNPARSEABLE,
] as const;

export type SkipReason = (typeof SKIP_REASONS)[number];

/** What each reason means, in words for staff looking at a message that got no reply. */
export const SKIP_REASON_TEXT: Readonly<Record<SkipReason, string>> = {
  bounce: 'A delivery report (a bounce), read receipt or abuse report, not mail from a person.',
  'return-path-null':
    'Sent with an empty return path (<>), which only mail systems use for automatic mail.',
  'auto-submitted': 'Marked as automatic mail by its Auto-Submitted header.',
  'x-autoreply': 'Marked as an automatic reply by an X-Autoreply or X-Autorespond header.',
  'x-auto-response-suppress':
    'The sender asked for no automatic replies (X-Auto-Response-Suppress).',
  precedence: 'Marked as bulk, list, junk or automatic-reply mail by its Precedence header.',
  'list-headers': 'Sent through a mailing list or newsletter service (List-* headers).',
  'list-server': "Sent through a mailing list server, identified by the server's own headers.",
  'x-loop': 'Already handled by an automatic mail processor (X-Loop header).',
  'own-message-id': 'One of our own emails that came back to this mailbox.',
  'vendor-vacation': "An out-of-office or vacation reply, marked by its mail system's own header.",
  'auto-subject': 'An out-of-office or automatic reply, recognised by its subject line.',
  'system-sender': 'Sent by a mail system or a no-reply address, which nobody reads.',
  self: 'Sent from this mailbox itself (or asks for replies to it).',
  'unauthenticated-sender':
    'The sender could not be verified, so the message is kept for staff but not answered.',
  'feature-off': 'Automatic replies to email are turned off, or no widget address is set.',
  'not-first-message':
    'Part of a conversation that already exists: only a first email is answered.',
  'rate-limited': 'This sender already got an automatic reply recently.',
  'reply-budget': 'The mailbox reached its hourly limit of automatic emails.',
  unparseable: 'The message could not be read as email; it is kept for staff as received.',
};

/** A stored reason in words; an unknown one (from a newer version) as it is. */
export const skipReasonText = (reason: string | null): string | null =>
  reason === null ? null : (SKIP_REASON_TEXT[reason as SkipReason] ?? reason);
