import type { Provider } from '@nestjs/common';
import { KyselyAttachmentStore, type AttachmentStore } from './attachments/attachment-store.js';
import {
  KyselyAttachmentStorage,
  type AttachmentStorage,
} from './attachments/attachment.storage.js';
import {
  HELPER_ATTACHMENT_STORAGE,
  HELPER_ATTACHMENT_STORE,
} from './attachments/attachment.tokens.js';
import { KyselyConversationStorage } from './chat/conversation.storage.js';
import { KyselyEventStorage } from './chat/event.storage.js';
import { KyselyEmailStorage } from './email/email.storage.js';
import type { ConversationStorage } from './chat/conversation.storage.js';
import type { EventStorage } from './chat/event.storage.js';
import type { EmailStorage } from './email/email.storage.js';
import type { HelperModuleOptions, ResolvedHelperOptions } from './helper.options.js';
import { HELPER_MODULE_OPTIONS, HELPER_RESOLVED_OPTIONS } from './helper.tokens.js';
import type { CustomerStorage } from './identity/customer.storage.js';
import type { OutboxStorage } from './outbox/outbox.storage.js';
import { KyselyLimitStorage, type LimitStorage } from './limits/limit.storage.js';
import type { SettingsStorage } from './settings/settings.storage.js';
import type { HelperTransactions } from './storage/transactions.js';
import { KyselyCustomerStorage } from './identity/customer.storage.js';
import { KyselyOutboxStorage } from './outbox/outbox.storage.js';
import { KyselySettingsStorage } from './settings/settings.storage.js';
import { openDatabase } from './storage/open-database.js';
import type { SqlDatabase } from './storage/sql-database.js';
import {
  HELPER_CONVERSATION_STORAGE,
  HELPER_CUSTOMER_STORAGE,
  HELPER_DATABASE,
  HELPER_EMAIL_STORAGE,
  HELPER_EVENT_STORAGE,
  HELPER_LIMIT_STORAGE,
  HELPER_OUTBOX_STORAGE,
  HELPER_SETTINGS_STORAGE,
  HELPER_TRANSACTIONS,
} from './storage/storage.tokens.js';

/**
 * The storage of each feature, as a host may replace it with `HelperModule.forRoot({ storage })`
 * or Nest's `overrideProvider(token)` (docs/storage.md).
 */
export interface HelperStorageOverrides {
  transactions: HelperTransactions;
  settings: SettingsStorage;
  customers: CustomerStorage;
  conversations: ConversationStorage;
  events: EventStorage;
  email: EmailStorage;
  outbox: OutboxStorage;
  limits: LimitStorage;
  /** The bytes of attachments (docs/storage.md, "Attachments"). */
  attachments: AttachmentStore;
  attachmentRecords: AttachmentStorage;
}

/** The typed `storage` option of `forRoot` / `forRootAsync`. */
export interface HelperStorageOption {
  storage?: Partial<HelperStorageOverrides>;
}

/** One provider per feature's storage: the host's replacement when it gave one, else SQL. */
const store = <K extends keyof HelperStorageOverrides>(
  provide: string,
  key: K,
  fallback: (database: SqlDatabase) => HelperStorageOverrides[K],
): Provider => ({
  provide,
  useFactory: (options: HelperModuleOptions, database: SqlDatabase) =>
    (options.storage as Partial<HelperStorageOverrides> | undefined)?.[key] ?? fallback(database),
  inject: [HELPER_MODULE_OPTIONS, HELPER_DATABASE],
});

export const STORAGE_TOKENS = [
  HELPER_DATABASE,
  HELPER_TRANSACTIONS,
  HELPER_SETTINGS_STORAGE,
  HELPER_CUSTOMER_STORAGE,
  HELPER_CONVERSATION_STORAGE,
  HELPER_EVENT_STORAGE,
  HELPER_EMAIL_STORAGE,
  HELPER_OUTBOX_STORAGE,
  HELPER_LIMIT_STORAGE,
  HELPER_ATTACHMENT_STORE,
  HELPER_ATTACHMENT_STORAGE,
];

export const storageProviders: Provider[] = [
  {
    provide: HELPER_DATABASE,
    useFactory: (options: ResolvedHelperOptions) => openDatabase(options.database),
    inject: [HELPER_RESOLVED_OPTIONS],
  },
  store(HELPER_TRANSACTIONS, 'transactions', (database) => database),
  store(HELPER_SETTINGS_STORAGE, 'settings', (database) => new KyselySettingsStorage(database)),
  store(HELPER_CUSTOMER_STORAGE, 'customers', (database) => new KyselyCustomerStorage(database)),
  store(
    HELPER_CONVERSATION_STORAGE,
    'conversations',
    (database) => new KyselyConversationStorage(database),
  ),
  store(HELPER_EVENT_STORAGE, 'events', (database) => new KyselyEventStorage(database)),
  store(HELPER_EMAIL_STORAGE, 'email', (database) => new KyselyEmailStorage(database)),
  store(HELPER_OUTBOX_STORAGE, 'outbox', (database) => new KyselyOutboxStorage(database)),
  store(HELPER_LIMIT_STORAGE, 'limits', (database) => new KyselyLimitStorage(database)),
  store(HELPER_ATTACHMENT_STORE, 'attachments', (database) => new KyselyAttachmentStore(database)),
  store(
    HELPER_ATTACHMENT_STORAGE,
    'attachmentRecords',
    (database) => new KyselyAttachmentStorage(database),
  ),
];
