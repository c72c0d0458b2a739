import type { ConversationRecord, MessageRecord } from './chat.records.js';

/**
 * What another feature does when staff reply: the email module schedules the continuity email.
 * Called in the reply's own transaction, so the reply and what it causes commit together.
 * Provided under this token by `HelperEmailModule`; the chat never depends on it.
 */
export interface StaffReplyListener {
  staffReplied(conversation: ConversationRecord, message: MessageRecord): Promise<void>;
}

export const HELPER_STAFF_REPLY_LISTENER = 'HELPER_STAFF_REPLY_LISTENER';
