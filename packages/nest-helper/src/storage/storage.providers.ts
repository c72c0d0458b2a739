import type { Provider } from '@nestjs/common';
import { KyselyConversationStorage } from '../chat/conversation.storage.js';
import { KyselyEventStorage } from '../chat/event.storage.js';
import { KyselyEmailStorage } from '../email/email.storage.js';
import type { HelperStorageOverrides, ResolvedHelperOptions } from '../helper.options.js';
import { HELPER_RESOLVED_OPTIONS } from '../helper.tokens.js';
import { KyselyCustomerStorage } from '../identity/customer.storage.js';
import { KyselyLimitStorage } from '../limits/limit.storage.js';
import { KyselyOutboxStorage } from '../outbox/outbox.storage.js';
import { KyselySettingsStorage } from '../settings/settings.storage.js';
import { openDatabase } from './open-database.js';
import type { SqlDatabase } from './sql-database.js';
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
} from './storage.tokens.js';

/** One provider per feature's storage: the host's replacement when it gave one, else SQL. */
const store = <K extends keyof HelperStorageOverrides>(
  provide: string,
  key: K,
  fallback: (database: SqlDatabase) => HelperStorageOverrides[K],
): Provider => ({
  provide,
  useFactory: (options: ResolvedHelperOptions, database: SqlDatabase) =>
    options.storage[key] ?? fallback(database),
  inject: [HELPER_RESOLVED_OPTIONS, HELPER_DATABASE],
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
];
