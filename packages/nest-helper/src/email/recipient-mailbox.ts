import addressparser from 'nodemailer/lib/addressparser/index.js';
import type { ResolvedMailbox } from '../helper.options.js';
import type { HelperMailboxes } from '../mailboxes/mailboxes.service.js';
import { headerStrings } from './header-values.js';
import type { InboundMessage } from './parse.js';

/** Every address of the recipient headers, in the order that decides: Delivered-To, To, Cc. */
export function recipientAddresses({ headers }: Pick<InboundMessage, 'headers'>): string[] {
  return ['delivered-to', 'to', 'cc'].flatMap((name) =>
    headerStrings(headers, name).flatMap((value) =>
      addressparser(value, { flatten: true }).map((mailbox) => mailbox.address),
    ),
  );
}

/**
 * The mailbox an inbound message belongs to: the one `?mailbox=` names, else the first recipient
 * address that is a mailbox's own (a mailbox without one uses the email module's `address`), else
 * the default mailbox (docs/email.md, "Which mailbox").
 */
export function mailboxForMessage(
  message: Pick<InboundMessage, 'headers'>,
  mailboxes: HelperMailboxes,
  moduleAddress: string,
  slug: unknown,
): ResolvedMailbox {
  if (slug !== undefined) return mailboxes.get(slug);
  for (const address of recipientAddresses(message)) {
    const mailbox = mailboxes.byAddress(address, moduleAddress);
    if (mailbox) return mailbox;
  }
  return mailboxes.get();
}
