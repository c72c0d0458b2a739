import { MAX_EMAIL_LENGTH } from '@helperkit/core/node';

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

/** Whether two addresses name the same mailbox; compared case-insensitively, as servers do. */
export const sameAddress = (a: string, b: string): boolean =>
  a.trim().toLowerCase() === b.trim().toLowerCase();
