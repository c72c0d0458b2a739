import type { Migration } from 'kysely';
import type { SqlDialectName } from '../schema.js';
import { initialSchema } from './001-initial-schema.js';
import { conversationsSchema } from './002-conversations.js';
import { inboundEmailSchema } from './003-inbound-email.js';
import { limitsSchema } from './004-limits.js';
import { trustedMetadataSchema } from './005-trusted-metadata.js';
import { providerTokensSchema } from './006-provider-tokens.js';
import { attachmentsSchema } from './007-attachments.js';
import { readStateSchema } from './008-read-state.js';
import { continuitySchema } from './009-continuity.js';
import { outboxKindsSchema } from './010-outbox-kinds.js';
import { outboxLookupsSchema } from './011-outbox-lookups.js';
import { outboxBudgetSchema } from './012-outbox-budget.js';

/**
 * Versioned migrations, run in name order at start-up by Kysely's Migrator, which records each
 * one it has applied. A migration is never edited once released: a change is a new file.
 */
export const helperMigrations = (dialect: SqlDialectName): Record<string, Migration> => ({
  '001-initial-schema': initialSchema(dialect),
  '002-conversations': conversationsSchema(dialect),
  '003-inbound-email': inboundEmailSchema(dialect),
  '004-limits': limitsSchema(dialect),
  '005-trusted-metadata': trustedMetadataSchema(),
  '006-provider-tokens': providerTokensSchema(),
  '007-attachments': attachmentsSchema(dialect),
  '008-read-state': readStateSchema(),
  '009-continuity': continuitySchema(),
  '010-outbox-kinds': outboxKindsSchema(dialect),
  '011-outbox-lookups': outboxLookupsSchema(),
  '012-outbox-budget': outboxBudgetSchema(),
});
