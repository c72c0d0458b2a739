import { Injectable } from '@nestjs/common';
import { signIdentity, type SignedIdentity } from '@helperkit/core/node';
import type { HostCustomer, ResolvedMailbox } from '../helper.options.js';
import { HelperMailboxes } from '../mailboxes/mailboxes.service.js';
import { hostCustomerMetadata } from './host-customer.service.js';

/**
 * How long the same signature is handed out again to the same customer. Page views come in
 * bursts and a signed identity stays valid for an hour after its timestamp, so one a minute old
 * costs nothing, while signing anew costs two HMACs and a canonical form of the metadata on every
 * page the signing middleware runs on (docs/protocol.md).
 */
const REUSE_MS = 60_000;
/** Customers remembered at once; past it the memory starts over (a bound, not a cache policy). */
const MAX_REMEMBERED = 1_000;

interface RecentSignature {
  secret: string;
  /** The metadata as signed, serialised: other metadata needs another signature. */
  metadata: string;
  identity: SignedIdentity;
  until: number;
}

/**
 * Signs a logged-in customer's identity with a mailbox's current secret, and the metadata the
 * host knows of them with it, so the widget can hand both on and they refresh together
 * (docs/protocol.md).
 */
@Injectable()
export class IdentitySigner {
  private readonly recent = new Map<string, RecentSignature>();

  constructor(private readonly mailboxes: HelperMailboxes) {}

  sign(customer: HostCustomer, mailbox: ResolvedMailbox = this.mailboxes.get()): SignedIdentity {
    const secret = mailbox.hmacSecrets[0]!;
    const metadata = hostCustomerMetadata(customer);
    const serialised = JSON.stringify(metadata);
    const key = `${mailbox.slug}\n${customer.email}`;
    const now = Date.now();
    const recent = this.recent.get(key);
    if (
      recent !== undefined &&
      recent.until > now &&
      recent.secret === secret &&
      recent.metadata === serialised
    ) {
      return recent.identity;
    }
    const identity = Object.freeze(signFresh(customer.email, metadata, secret, now));
    if (this.recent.size >= MAX_REMEMBERED) this.recent.clear();
    this.recent.set(key, { secret, metadata: serialised, identity, until: now + REUSE_MS });
    return identity;
  }
}

function signFresh(
  email: string,
  metadata: ReturnType<typeof hostCustomerMetadata>,
  secret: string,
  timestamp: number,
): SignedIdentity {
  if (Object.keys(metadata).length > 0) {
    try {
      return signIdentity({ email, timestamp, metadata }, secret);
    } catch {
      // Metadata the host's hook got wrong is the host's bug: the identity alone still works.
    }
  }
  return signIdentity({ email, timestamp }, secret);
}
