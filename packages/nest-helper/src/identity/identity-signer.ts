import { Injectable } from '@nestjs/common';
import { signIdentity, type SignedIdentity } from '@helperkit/core/node';
import type { HostCustomer, ResolvedMailbox } from '../helper.options.js';
import { HelperMailboxes } from '../mailboxes/mailboxes.service.js';
import { hostCustomerMetadata } from './host-customer.service.js';

/**
 * Signs a logged-in customer's identity with a mailbox's current secret, and the metadata the
 * host knows of them with it, so the widget can hand both on and they refresh together
 * (docs/protocol.md).
 */
@Injectable()
export class IdentitySigner {
  constructor(private readonly mailboxes: HelperMailboxes) {}

  sign(customer: HostCustomer, mailbox: ResolvedMailbox = this.mailboxes.get()): SignedIdentity {
    const secret = mailbox.hmacSecrets[0]!;
    const metadata = hostCustomerMetadata(customer);
    if (Object.keys(metadata).length > 0) {
      try {
        return signIdentity({ email: customer.email, metadata }, secret);
      } catch {
        // Metadata the host's hook got wrong is the host's bug: the identity alone still works.
      }
    }
    return signIdentity({ email: customer.email }, secret);
  }
}
