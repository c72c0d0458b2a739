import { Injectable } from '@nestjs/common';
import { ownerKeyForEmail } from '@helperkit/core';
import { notFound } from '../errors.js';
import {
  DEFAULT_MAILBOX,
  MAILBOX_SLUG,
  type ResolvedHelperOptions,
  type ResolvedMailbox,
} from '../helper.options.js';
import { InjectResolvedHelperOptions } from '../helper.tokens.js';

/**
 * The configured mailboxes. A mailbox is a slug with its own settings, HMAC secrets and email
 * address; nothing ever crosses from one to another (docs/mailboxes.md).
 */
@Injectable()
export class HelperMailboxes {
  constructor(@InjectResolvedHelperOptions() private readonly options: ResolvedHelperOptions) {}

  /** Every mailbox, `default` first. */
  all(): ResolvedMailbox[] {
    return [...this.options.mailboxes.values()];
  }

  /** The mailbox of this slug; an unknown or malformed slug answers 404 (no hint either way). */
  get(slug: unknown = DEFAULT_MAILBOX): ResolvedMailbox {
    const mailbox =
      typeof slug === 'string' && MAILBOX_SLUG.test(slug)
        ? this.options.mailboxes.get(slug)
        : undefined;
    if (mailbox === undefined) throw notFound('The mailbox');
    return mailbox;
  }

  /** The mailbox whose email address this is (ASCII case-insensitive), if any. */
  byAddress(address: string, fallbackAddress: string | null): ResolvedMailbox | undefined {
    const wanted = ownerKeyForEmail(address);
    const addressOf = (mailbox: ResolvedMailbox) => mailbox.emailAddress ?? fallbackAddress;
    return this.all().find((mailbox) => {
      const own = addressOf(mailbox);
      return own !== null && ownerKeyForEmail(own) === wanted;
    });
  }
}

/**
 * The mailbox a staff request names (`?mailbox=<slug>`, default `default`), for the host's
 * `adminGuard` to decide which staff may act on which mailbox. Answers the slug as given; the
 * module answers 404 for one that does not exist.
 */
export function getHelperMailbox(request: { query?: unknown }): string {
  const query = request.query as Record<string, unknown> | undefined;
  const slug = query?.mailbox;
  return typeof slug === 'string' && slug !== '' ? slug : DEFAULT_MAILBOX;
}
