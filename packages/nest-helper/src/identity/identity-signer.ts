import { Injectable } from '@nestjs/common';
import { signIdentity, type SignedIdentity } from '@helperkit/core/node';
import type { ResolvedMailbox } from '../helper.options.js';
import { HelperMailboxes } from '../mailboxes/mailboxes.service.js';

/** Signs a logged-in customer's identity with a mailbox's current secret (docs/protocol.md). */
@Injectable()
export class IdentitySigner {
  constructor(private readonly mailboxes: HelperMailboxes) {}

  sign(email: string, mailbox: ResolvedMailbox = this.mailboxes.get()): SignedIdentity {
    return signIdentity({ email }, mailbox.hmacSecrets[0]!);
  }
}
