import { KyselyConversationStorage } from '../../src/chat/conversation.storage.js';
import { KyselyEventStorage } from '../../src/chat/event.storage.js';
import { KyselyCustomerStorage } from '../../src/identity/customer.storage.js';
import { KyselySettingsStorage } from '../../src/settings/settings.storage.js';
import type { SqlDatabase } from '../../src/storage/sql-database.js';

/** The default stores over one opened database, as HelperModule builds them. */
export const storesOf = (database: SqlDatabase) => ({
  database,
  settings: new KyselySettingsStorage(database),
  customers: new KyselyCustomerStorage(database),
  conversations: new KyselyConversationStorage(database),
  events: new KyselyEventStorage(database),
});

export type Stores = ReturnType<typeof storesOf>;
