import { Inject } from '@nestjs/common';

// One injection token per feature's storage, so a host can replace any of them (docs/storage.md).

/** The SQL database under the default stores (`SqlDatabase`). */
export const HELPER_DATABASE = 'HELPER_DATABASE';
/** Transactions that span features (`HelperTransactions`). */
export const HELPER_TRANSACTIONS = 'HELPER_TRANSACTIONS';
/** Mailbox settings (`SettingsStorage`). */
export const HELPER_SETTINGS_STORAGE = 'HELPER_SETTINGS_STORAGE';
/** Customers and their metadata (`CustomerStorage`). */
export const HELPER_CUSTOMER_STORAGE = 'HELPER_CUSTOMER_STORAGE';
/** Conversations and messages (`ConversationStorage`). */
export const HELPER_CONVERSATION_STORAGE = 'HELPER_CONVERSATION_STORAGE';
/** The event log behind the live streams (`EventStorage`). */
export const HELPER_EVENT_STORAGE = 'HELPER_EVENT_STORAGE';
/** Inbound email records (`EmailStorage`). */
export const HELPER_EMAIL_STORAGE = 'HELPER_EMAIL_STORAGE';
/** The durable outbox (`OutboxStorage`). */
export const HELPER_OUTBOX_STORAGE = 'HELPER_OUTBOX_STORAGE';
/** The abuse limits' counters and open streams (`LimitStorage`, docs/limits.md). */
export const HELPER_LIMIT_STORAGE = 'HELPER_LIMIT_STORAGE';

export const InjectHelperDatabase = (): ParameterDecorator => Inject(HELPER_DATABASE);
export const InjectTransactions = (): ParameterDecorator => Inject(HELPER_TRANSACTIONS);
export const InjectSettingsStorage = (): ParameterDecorator => Inject(HELPER_SETTINGS_STORAGE);
export const InjectCustomerStorage = (): ParameterDecorator => Inject(HELPER_CUSTOMER_STORAGE);
export const InjectConversationStorage = (): ParameterDecorator =>
  Inject(HELPER_CONVERSATION_STORAGE);
export const InjectEventStorage = (): ParameterDecorator => Inject(HELPER_EVENT_STORAGE);
export const InjectEmailStorage = (): ParameterDecorator => Inject(HELPER_EMAIL_STORAGE);
export const InjectOutboxStorage = (): ParameterDecorator => Inject(HELPER_OUTBOX_STORAGE);
export const InjectLimitStorage = (): ParameterDecorator => Inject(HELPER_LIMIT_STORAGE);
