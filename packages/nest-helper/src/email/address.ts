import { MAX_EMAIL_LENGTH, ownerKeyForEmail } from '@helperkit/core/node';

// One `local@domain` mailbox: no spaces, angle brackets or control characters, so an address that
// passes can go into a header or an SMTP envelope as is. Deliberately loose on everything else:
// real mail has odd but valid local parts, and the SMTP server is the judge of deliverability.
const MAILBOX_ADDRESS =
  /^[^\s<>@\u0000-\u001f\u007f]+@[^\s<>@\u0000-\u001f\u007f]+\.[^\s<>@\u0000-\u001f\u007f]+$/;

/** Whether a string is a single plain `local@domain` address, at most 254 characters. */
export const isMailboxAddress = (address: string): boolean =>
  address.length <= MAX_EMAIL_LENGTH && MAILBOX_ADDRESS.test(address);

/** The part before the last `@`, lowercased (mailbox names compare case-insensitively in practice). */
export const localPart = (address: string): string =>
  address.slice(0, Math.max(0, address.lastIndexOf('@'))).toLowerCase();

// The null reverse-path as written: `<>` (or an empty value), and `<MAILER-DAEMON>`, which
// Microsoft IIS's SMTP service writes for it (multi_mail's "Detecting autoresponders" survey).
const NULL_PATHS = new Set(['', '<>', '<mailer-daemon>']);

/** Whether a `Return-Path` is the null reverse-path, which only mail systems send from (RFC 5321). */
export const isNullPath = (value: string): boolean =>
  NULL_PATHS.has(value.replace(/\s/g, '').toLowerCase());

/** Whether two addresses name the same mailbox; compared case-insensitively, as servers do. */
export const sameAddress = (a: string, b: string): boolean =>
  ownerKeyForEmail(a.trim()) === ownerKeyForEmail(b.trim());

// The local parts mail systems send from (RFC 5321 section 4.5.1 requires `postmaster`; bounces
// come from `MAILER-DAEMON`) and the no-reply spellings, with the separators real systems use
// (`post_master`, `mailer_daemon`, Discourse's `mailer[-_]?daemon|post[-_]?master`), alone or
// followed by a separator (`noreply+billing`), but not a name that merely starts so (`norene`).
const SYSTEM_LOCAL_PART =
  /^(?:mailer[-_.]?daemon|post[-_.]?master|no[-_.]?reply|do[-_.]?not[-_.]?reply)(?:[-+_.].*)?$/;

/** Whether an address's local part names a mail system or a no-reply mailbox. */
export const isSystemAddress = (address: string): boolean =>
  SYSTEM_LOCAL_PART.test(localPart(address));

// The display names bounces carry when their From has no address: Postfix's and Exim's
// "Mail Delivery System", Sendmail's "Mail Delivery Subsystem", a bare `MAILER-DAEMON`.
const SYSTEM_NAME = /^(?:mailer[-_ ]?daemon|post[-_ ]?master|mail delivery (?:system|subsystem))$/;

/** Whether a sender's display name (or an address-less From) names a mail system. */
export const isSystemName = (name: string): boolean => SYSTEM_NAME.test(name.trim().toLowerCase());
