// The attachments' domain records: what their storage keeps and the services work with. The API's
// view (with a signed `url`) is built at the edge, in attachment-views.ts.

/** Who sent the file: the customer or staff through the chat, or the customer by email. */
export type AttachmentUploader = 'customer' | 'staff' | 'email';

/** Why a part of an inbound email was not kept (docs/http-api.md, "Attachments"). */
export type AttachmentRefusal = 'type_not_allowed' | 'too_large' | 'empty' | 'too_many';

export interface AttachmentRecord {
  /** The database's id: internal, never shown to clients. */
  id: number;
  /** The id clients use: random, so it cannot be guessed. */
  publicId: string;
  conversationId: number;
  /** Null until a message carries it. */
  messageId: number | null;
  uploadedBy: AttachmentUploader;
  /** The name as stored: cleaned of control characters and ending in the type's extension. */
  name: string;
  /** The type sniffed from the bytes, never the one the sender declared. */
  contentType: string;
  size: number;
  /** Where the `AttachmentStore` keeps the bytes; null for a refused email part. */
  storeKey: string | null;
  refusedReason: AttachmentRefusal | null;
  createdAt: string;
}

/** A file as the chat and its events carry it: what a view needs, without storage details. */
export interface AttachmentSummary {
  publicId: string;
  name: string;
  contentType: string;
  size: number;
}

/** An attachment with what decides who may read it: its conversation's mailbox and owner. */
export interface AttachmentWithConversation extends AttachmentRecord {
  mailbox: string;
  owner: string;
}

export type NewAttachment = Omit<AttachmentRecord, 'id' | 'publicId'>;

export const summaryOf = (record: AttachmentRecord): AttachmentSummary => ({
  publicId: record.publicId,
  name: record.name,
  contentType: record.contentType,
  size: record.size,
});
