// The attachments' two stores, each replaceable like every feature's storage (docs/storage.md).

/** Where the bytes live (`AttachmentStore`; default: the database). */
export const HELPER_ATTACHMENT_STORE = 'HELPER_ATTACHMENT_STORE';
/** What is known of each file (`AttachmentStorage`). */
export const HELPER_ATTACHMENT_STORAGE = 'HELPER_ATTACHMENT_STORAGE';
