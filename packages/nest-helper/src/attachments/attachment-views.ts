import type { AttachmentView } from '@helperkit/core';
import type { AttachmentSummary } from './attachment.records.js';
import type { AttachmentLinkGrant } from './attachment-links.js';

export type { AttachmentView };

/** Makes the signed `url` of a file for the viewer of the answer it goes in. */
export type LinkSigner = (grant: AttachmentLinkGrant) => string;

/** Whose answer a view goes into: a customer (their owner key) or staff, in a mailbox. */
export interface Viewer {
  viewer: string;
  mailbox: string;
}

export const toAttachmentView = (
  summary: AttachmentSummary,
  sign: LinkSigner,
  { viewer, mailbox }: Viewer,
): AttachmentView => ({
  id: summary.publicId,
  name: summary.name,
  size: summary.size,
  contentType: summary.contentType,
  url: sign({ attachmentId: summary.publicId, viewer, mailbox }),
});
