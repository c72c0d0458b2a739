import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ApplicationConfig } from '@nestjs/core';
import { HelperMailboxes } from '../mailboxes/mailboxes.service.js';
import { HELPER_ROUTE_PREFIX } from '../http/route-prefix.js';
import { HelperJwt } from '../tokens/helper-jwt.js';
import { TokenKeyring } from '../tokens/keyring.js';
import { InjectAttachmentClock, type AttachmentClock } from './attachment-clock.js';
import { InjectAttachmentOptions, type ResolvedAttachmentOptions } from './attachment.options.js';

export const ATTACHMENT_LINK_AUDIENCE = 'helperkit:attachment-link';

/** Who a link was made for: staff, or the owner of the file's conversation. */
export const STAFF_VIEWER = 'staff';

/**
 * How a link names its viewer: `staff`, or a hash of the owner key, so a link that lands in an
 * access log does not carry the customer's email address (a JWT is signed, not encrypted).
 */
export const viewerTag = (viewer: string): string =>
  viewer === STAFF_VIEWER
    ? STAFF_VIEWER
    : `o_${createHash('sha256').update(viewer).digest('base64url').slice(0, 22)}`;

/**
 * The file a link opens, for whom (the owner key or `staff` when signing; its {@link viewerTag}
 * once verified), in which mailbox.
 */
export interface AttachmentLinkGrant {
  attachmentId: string;
  viewer: string;
  mailbox: string;
}

/**
 * Signed links to one file for one viewer, valid a few minutes, so an `<img>` shows a file under a
 * strict CSP without a Bearer header: a helperkit token with its own audience and derived key
 * (docs/security-model.md, "Tokens").
 */
@Injectable()
export class AttachmentLinks {
  private readonly jwt: HelperJwt<{ aid: string }>;

  constructor(
    mailboxes: HelperMailboxes,
    @InjectAttachmentOptions() private readonly options: ResolvedAttachmentOptions,
    @InjectAttachmentClock() private readonly clock: AttachmentClock,
    @Inject(HELPER_ROUTE_PREFIX) private readonly routePrefix: string,
    private readonly config: ApplicationConfig,
  ) {
    this.jwt = new HelperJwt(
      new TokenKeyring(mailboxes.all(), 'attachment link'),
      ATTACHMENT_LINK_AUDIENCE,
    );
  }

  /** The path of the file with a fresh token, e.g. `/helper/attachments/a_…?token=…`. */
  urlFor(grant: AttachmentLinkGrant): string {
    const { token } = this.jwt.sign(
      { aid: grant.attachmentId, sub: viewerTag(grant.viewer), mbx: grant.mailbox },
      Math.ceil(this.options.linkTtlMs / 1000),
      this.clock(),
    );
    // The host's global prefix is read on each call: it may be set after the module is created.
    const segments = [
      this.config.getGlobalPrefix(),
      this.routePrefix,
      'attachments',
      grant.attachmentId,
    ]
      .map((segment) => segment.replace(/^\/+|\/+$/g, ''))
      .filter((segment) => segment !== '');
    return `/${segments.join('/')}?token=${encodeURIComponent(token)}`;
  }

  /** What a link grants; `expired` once its time is over, `invalid` when forged or for another file. */
  verify(token: unknown, attachmentId: string): AttachmentLinkGrant | 'expired' | 'invalid' {
    const check = this.jwt.verify(token, this.clock());
    if (!check.ok) return check.reason;
    if (check.claims.aid !== attachmentId) return 'invalid';
    return { attachmentId, viewer: check.claims.sub, mailbox: check.claims.mbx };
  }
}
