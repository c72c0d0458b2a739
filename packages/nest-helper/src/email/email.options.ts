import { MIN_SECRET_BYTES } from '@helperkit/core/node';
import addressparser from 'nodemailer/lib/addressparser/index.js';
import type { SMTPTransportOptions } from 'nodemailer';
import { HelperConfigurationError } from '../configuration-error.js';
import { isMailboxAddress } from './address.js';

/** `HelperEmailModule`'s options (docs/options.md): inbound mail and the email-to-chat auto-reply. */
export interface HelperEmailOptions {
  /** The mailbox's own address, e.g. `support@example.com`. Mail from it is never answered. */
  address: string;
  /** The From of auto-replies, e.g. `"Acme Support" <support@example.com>` (default: `address`). */
  from?: string;
  /** Where auto-replies are sent: a nodemailer SMTP URL (`smtps://user:pass@host`) or options. */
  smtp: string | SMTPTransportOptions;
  /** Shared secret of the inbound endpoints (Bearer, or the Basic auth password); ≥ 32 bytes. */
  inboundSecret: string;
  /** Mailgun's HTTP webhook signing key; when set, Mailgun requests must carry its signature. */
  mailgunSigningKey?: string;
  /** A sender gets at most one auto-reply per window, in ms (default 24 hours). */
  rateWindowMs?: number;
  /**
   * Largest inbound message accepted, in bytes, on every inbound route; larger ones are refused
   * (413, or the status that stops the provider's retries). Default: 25 MiB for raw messages and
   * each provider's own figure on its route (docs/options.md).
   */
  maxMessageBytes?: number;
  /** Wait before the first retry of a reply the SMTP server refused, in ms (default 30 s); doubles. */
  retryDelayMs?: number;
  /**
   * The authserv-ids of your own MTA, whose topmost `Authentication-Results` header vouches for
   * raw messages' senders (default none: no raw message counts as authenticated).
   */
  trustedAuthServIds?: string[];
  /**
   * `'verify'` (default): only mail whose sender is authenticated joins a customer's
   * conversations and is answered. `'off'` trusts every From address: only behind an MTA that
   * rejects unauthenticated mail (docs/email-authentication.md).
   */
  senderAuthentication?: 'verify' | 'off';
  /**
   * Automatic emails (auto-replies and continuity emails together) per mailbox per hour
   * (default 100); beyond, none is sent.
   */
  maxAutoRepliesPerHour?: number;
  /**
   * Emails a staff reply that an identified customer has not read within `unseenReplyDelayMs`
   * (default true; docs/email.md, "Continuity").
   */
  continuity?: boolean;
  /** How long a staff reply may stay unread before it is emailed, in ms (default 10 minutes). */
  unseenReplyDelayMs?: number;
}

/** The email options after validation, with defaults applied. */
export interface ResolvedEmailOptions {
  address: string;
  from: string;
  smtp: string | SMTPTransportOptions;
  inboundSecret: string;
  mailgunSigningKey: string | null;
  rateWindowMs: number;
  /** The raw route's limit. */
  maxMessageBytes: number;
  /** Each provider route's limit: `maxMessageBytes` when the host set it, else the provider's. */
  messageLimits: Readonly<Record<InboundProvider, number>>;
  retryDelayMs: number;
  trustedAuthServIds: readonly string[];
  senderAuthentication: 'verify' | 'off';
  maxAutoRepliesPerHour: number;
  continuity: boolean;
  unseenReplyDelayMs: number;
}

export const DEFAULT_RATE_WINDOW_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
/** The inbound providers with a route of their own. */
export type InboundProvider = 'sendgrid' | 'mailgun' | 'postmark';

const MiB = 1024 * 1024;

/**
 * The largest message each provider posts, by its documentation (docs/options.md): SendGrid 30 MB
 * in all; Mailgun 25 MB; Postmark 35 MB of attachments, which the rebuilt message carries in
 * base64 (4/3, plus a line break every 76 characters), beside its text and HTML bodies.
 */
export const PROVIDER_MESSAGE_BYTES: Readonly<Record<InboundProvider, number>> = {
  sendgrid: 30 * MiB,
  mailgun: 25 * MiB,
  postmark: Math.ceil(((35 * MiB * 4) / 3) * (78 / 76)) + 10 * MiB,
};

export const DEFAULT_RETRY_DELAY_MS = 30_000;
export const DEFAULT_MAX_AUTO_REPLIES_PER_HOUR = 100;
export const DEFAULT_UNSEEN_REPLY_DELAY_MS = 10 * 60_000;

const SMTP_PROTOCOLS = new Set(['smtp:', 'smtps:']);

// Every message names the option and says what to put there. None quotes the value: the SMTP URL
// and the secrets can carry passwords.
const problem = (text: string) => new HelperConfigurationError(`email.${text}`);

function resolveFrom(from: unknown, address: string): string {
  if (from === undefined) return address;
  const mailboxes = typeof from === 'string' ? addressparser(from, { flatten: true }) : [];
  if (mailboxes.length !== 1 || !isMailboxAddress(mailboxes[0]?.address ?? '')) {
    throw problem(
      'from must be one address, e.g. "support@example.com" or "Acme Support <support@example.com>".',
    );
  }
  return from as string;
}

function resolveSmtp(smtp: unknown): ResolvedEmailOptions['smtp'] {
  if (typeof smtp === 'object' && smtp !== null && !Array.isArray(smtp)) {
    return smtp as SMTPTransportOptions;
  }
  if (typeof smtp === 'string' && URL.canParse(smtp)) {
    if (SMTP_PROTOCOLS.has(new URL(smtp).protocol)) return smtp;
  }
  throw problem(
    'smtp is required: an SMTP URL such as "smtps://user:password@smtp.example.com" or ' +
      'nodemailer SMTP transport options such as { host, port, secure, auth }.',
  );
}

function resolvePositiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  throw problem(`${name} must be a positive whole number (default ${fallback}).`);
}

function resolveSecret(name: string, value: unknown): string {
  if (typeof value !== 'string' || Buffer.byteLength(value, 'utf8') < MIN_SECRET_BYTES) {
    throw problem(
      `${name} must be a string of at least ${MIN_SECRET_BYTES} bytes. ` +
        'Generate one with: openssl rand -hex 32',
    );
  }
  return value;
}

/** Validates the email options at start-up and applies defaults; throws a HelperConfigurationError. */
export function resolveEmailOptions(options: HelperEmailOptions): ResolvedEmailOptions {
  if (typeof options !== 'object' || options === null) {
    throw problem('options are missing: pass { address, smtp, inboundSecret, … }.');
  }
  const { address } = options;
  if (typeof address !== 'string' || !isMailboxAddress(address)) {
    throw problem('address must be the mailbox\'s own email address, e.g. "support@example.com".');
  }
  const { mailgunSigningKey } = options;
  if (
    mailgunSigningKey !== undefined &&
    (typeof mailgunSigningKey !== 'string' || mailgunSigningKey.trim() === '')
  ) {
    throw problem(
      'mailgunSigningKey must be the "HTTP webhook signing key" from Mailgun\'s dashboard, or left out.',
    );
  }
  return {
    address,
    from: resolveFrom(options.from, address),
    smtp: resolveSmtp(options.smtp),
    inboundSecret: resolveSecret('inboundSecret', options.inboundSecret),
    mailgunSigningKey: mailgunSigningKey ?? null,
    rateWindowMs: resolvePositiveInteger(
      'rateWindowMs',
      options.rateWindowMs,
      DEFAULT_RATE_WINDOW_MS,
    ),
    ...resolveMessageLimits(options.maxMessageBytes),
    retryDelayMs: resolvePositiveInteger(
      'retryDelayMs',
      options.retryDelayMs,
      DEFAULT_RETRY_DELAY_MS,
    ),
    trustedAuthServIds: resolveAuthServIds(options.trustedAuthServIds),
    senderAuthentication: resolveSenderAuthentication(options.senderAuthentication),
    maxAutoRepliesPerHour: resolvePositiveInteger(
      'maxAutoRepliesPerHour',
      options.maxAutoRepliesPerHour,
      DEFAULT_MAX_AUTO_REPLIES_PER_HOUR,
    ),
    continuity: resolveContinuity(options.continuity),
    unseenReplyDelayMs: resolvePositiveInteger(
      'unseenReplyDelayMs',
      options.unseenReplyDelayMs,
      DEFAULT_UNSEEN_REPLY_DELAY_MS,
    ),
  };
}

function resolveMessageLimits(
  maxMessageBytes: unknown,
): Pick<ResolvedEmailOptions, 'maxMessageBytes' | 'messageLimits'> {
  if (maxMessageBytes === undefined) {
    return { maxMessageBytes: DEFAULT_MAX_MESSAGE_BYTES, messageLimits: PROVIDER_MESSAGE_BYTES };
  }
  const limit = resolvePositiveInteger(
    'maxMessageBytes',
    maxMessageBytes,
    DEFAULT_MAX_MESSAGE_BYTES,
  );
  return {
    maxMessageBytes: limit,
    messageLimits: Object.freeze({ sendgrid: limit, mailgun: limit, postmark: limit }),
  };
}

function resolveContinuity(continuity: unknown): boolean {
  if (continuity === undefined) return true;
  if (typeof continuity === 'boolean') return continuity;
  throw problem('continuity must be true (the default) or false.');
}

function resolveAuthServIds(ids: unknown): readonly string[] {
  if (ids === undefined) return [];
  if (Array.isArray(ids) && ids.every((id) => typeof id === 'string' && /^[^\s;()]+$/.test(id))) {
    return Object.freeze([...(ids as string[])]);
  }
  throw problem(
    'trustedAuthServIds must be the authserv-ids your MTA writes in Authentication-Results, ' +
      'e.g. ["mx.example.com"].',
  );
}

function resolveSenderAuthentication(mode: unknown): 'verify' | 'off' {
  if (mode === undefined) return 'verify';
  if (mode === 'verify' || mode === 'off') return mode;
  throw problem('senderAuthentication must be "verify" (the default) or "off".');
}
