import { localPart, sameAddress } from './address.js';
import { headerStrings, headerTokens } from './header-values.js';
import type { InboundMessage } from './parse.js';

// When an inbound message gets no auto-reply (SPEC 7, RFC 3834 and common practice): each rule
// has a stable name, used as the `skipReason` of the inbound endpoint's answer.

export interface SkipContext {
  /** The mailbox's own address (`email.address`). */
  mailboxAddress: string;
}

export interface SkipRule {
  readonly reason: string;
  readonly applies: (message: InboundMessage, context: SkipContext) => boolean;
}

// Reasons the service decides with storage and settings, not from the message alone.
export const FEATURE_OFF = 'feature-off';
export const NOT_FIRST_MESSAGE = 'not-first-message';
export const RATE_LIMITED = 'rate-limited';

/** Whom a reply would go to, and who wrote: a rule about the sender looks at both. */
const senderAddresses = (message: InboundMessage): string[] =>
  message.replyTo === null ? [message.from.address] : [message.from.address, message.replyTo];

/** `Return-Path: <>`: the null reverse-path of bounces and other automatic mail (RFC 5321). */
export const returnPathNull: SkipRule = {
  reason: 'return-path-null',
  // mailparser parses `<>` to an address of '' (its text is empty too).
  applies: ({ headers }) =>
    headerStrings(headers, 'return-path').some((value) => value.replace(/[<>\s]/g, '') === ''),
};

/** `Auto-Submitted` with any value but `no` (RFC 3834 section 5). */
export const autoSubmitted: SkipRule = {
  reason: 'auto-submitted',
  // The keyword may be followed by parameters (`; owner-email=…`) or a comment (`(…)`).
  applies: ({ headers }) =>
    headerStrings(headers, 'auto-submitted').some(
      (value) =>
        value
          .trim()
          .toLowerCase()
          .split(/[\s;(]/, 1)[0] !== 'no',
    ),
};

const BULK_PRECEDENCE = new Set(['bulk', 'list', 'junk', 'auto_reply']);

/** `Precedence: bulk | list | junk | auto_reply`: mass mail and other automatic replies. */
export const precedence: SkipRule = {
  reason: 'precedence',
  applies: ({ headers }) =>
    headerTokens(headers, 'precedence').some((token) => BULK_PRECEDENCE.has(token)),
};

/** Any `List-*` header (RFC 2369, 2919): mailparser gathers them all under `list`. */
export const listHeaders: SkipRule = {
  reason: 'list-headers',
  applies: ({ headers }) =>
    [...headers.keys()].some((key) => key === 'list' || key.startsWith('list-')),
};

/** `X-Autoreply` or `X-Autorespond`, set by many autoresponders instead of Auto-Submitted. */
export const xAutoreply: SkipRule = {
  reason: 'x-autoreply',
  applies: ({ headers }) => headers.has('x-autoreply') || headers.has('x-autorespond'),
};

const SUPPRESSING_VALUES = new Set(['all', 'autoreply']);

/** Microsoft's `X-Auto-Response-Suppress` asking for no auto-replies: `All` or `AutoReply`. */
export const xAutoResponseSuppress: SkipRule = {
  reason: 'x-auto-response-suppress',
  applies: ({ headers }) =>
    headerTokens(headers, 'x-auto-response-suppress').some((token) =>
      SUPPRESSING_VALUES.has(token),
    ),
};

// mailer-daemon, postmaster, and the no-reply spellings, alone or followed by a separator
// (`noreply+billing`, `no-reply-notifications`), but not a name that merely starts so (`norene`).
const SYSTEM_LOCAL_PART =
  /^(?:mailer-daemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply)(?:[-+_.].*)?$/;

/** A sender (From, or Reply-To) that is a mail system or a no-reply address. */
export const systemSender: SkipRule = {
  reason: 'system-sender',
  applies: (message) =>
    senderAddresses(message).some((address) => SYSTEM_LOCAL_PART.test(localPart(address))),
};

/** Mail from (or to be answered at) the mailbox itself: answering it would loop. */
export const ownAddress: SkipRule = {
  reason: 'own-address',
  applies: (message, { mailboxAddress }) =>
    senderAddresses(message).some((address) => sameAddress(address, mailboxAddress)),
};

/** A bounce or other delivery report (multipart/report), even without a null Return-Path. */
export const bounce: SkipRule = {
  reason: 'bounce',
  applies: (message) => message.isReport,
};

/** Every rule, in the order their reasons are reported. */
export const SKIP_RULES: readonly SkipRule[] = [
  returnPathNull,
  autoSubmitted,
  precedence,
  listHeaders,
  xAutoreply,
  xAutoResponseSuppress,
  systemSender,
  ownAddress,
  bounce,
];

/** The reason of the first rule that says "no reply", or null when the message may be answered. */
export function firstSkipReason(message: InboundMessage, context: SkipContext): string | null {
  return SKIP_RULES.find((rule) => rule.applies(message, context))?.reason ?? null;
}
