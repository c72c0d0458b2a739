import type { KeyObject } from 'node:crypto';
import type { ResolvedMailbox } from '../helper.options.js';
import { asKeyObject, deriveKey, keyIdOf, type KeyPurpose } from './derived-keys.js';

interface RingKey {
  kid: string;
  key: KeyObject;
  /** The mailboxes whose secrets include this key's secret. */
  mailboxes: Set<string>;
}

/**
 * The derived keys of one purpose for every mailbox: the current one signs, and every listed one
 * verifies, so a token signed before a rotation keeps working until it expires. A key is found by
 * its `kid` and is valid only for the mailboxes whose secrets it derives from.
 */
export class TokenKeyring {
  private readonly byKid = new Map<string, RingKey>();
  private readonly current = new Map<string, RingKey>();
  private readonly byMailbox = new Map<string, RingKey[]>();

  constructor(mailboxes: Iterable<ResolvedMailbox>, purpose: KeyPurpose) {
    for (const mailbox of mailboxes) {
      const keys = mailbox.hmacSecrets.map((secret) => {
        const raw = deriveKey(secret, purpose);
        const kid = keyIdOf(raw);
        const known = this.byKid.get(kid) ?? { kid, key: asKeyObject(raw), mailboxes: new Set() };
        known.mailboxes.add(mailbox.slug);
        this.byKid.set(kid, known);
        return known;
      });
      this.current.set(mailbox.slug, keys[0]!);
      this.byMailbox.set(mailbox.slug, keys);
    }
  }

  /** The key that signs this mailbox's tokens. */
  signingKey(mailbox: string): { kid: string; key: KeyObject } | undefined {
    return this.current.get(mailbox);
  }

  /** The key named `kid`, when it belongs to `mailbox`. */
  verifyingKey(kid: unknown, mailbox: unknown): KeyObject | undefined {
    if (typeof kid !== 'string' || typeof mailbox !== 'string') return undefined;
    const found = this.byKid.get(kid);
    return found?.mailboxes.has(mailbox) ? found.key : undefined;
  }

  /** Every key of a mailbox, current first (for tokens from before keys had names). */
  keysOf(mailbox: string): KeyObject[] {
    return (this.byMailbox.get(mailbox) ?? []).map((ring) => ring.key);
  }
}
