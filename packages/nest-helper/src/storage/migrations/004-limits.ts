import type { Kysely, Migration } from 'kysely';
import type { SqlDialectName } from '../schema.js';
import { withSerialKey } from './001-initial-schema.js';

/** The abuse limits' counters: fixed windows, and the open event streams (docs/limits.md). */
export const limitsSchema = (dialect: SqlDialectName): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('helper_limit_windows')
      .addColumn('scope', 'varchar(32)', (column) => column.notNull())
      .addColumn('limit_key', 'varchar(400)', (column) => column.notNull())
      .addColumn('window_start', 'varchar(32)', (column) => column.notNull())
      .addColumn('window_end', 'varchar(32)', (column) => column.notNull())
      .addColumn('hits', 'integer', (column) => column.notNull())
      // The conflict target of the atomic increment.
      .addPrimaryKeyConstraint('helper_limit_windows_pkey', ['scope', 'limit_key', 'window_start'])
      .execute();
    await db.schema
      .createIndex('helper_limit_windows_end')
      .on('helper_limit_windows')
      .column('window_end')
      .execute();

    await db.schema
      .createTable('helper_stream_slots')
      .$call(withSerialKey(dialect))
      .addColumn('stream_id', 'varchar(64)', (column) => column.notNull().unique())
      .addColumn('instance_id', 'varchar(64)', (column) => column.notNull())
      .addColumn('owner', 'varchar(1100)', (column) => column.notNull())
      .addColumn('ip', 'varchar(64)', (column) => column.notNull())
      .addColumn('opened_at', 'varchar(32)', (column) => column.notNull())
      .addColumn('lease_until', 'varchar(32)', (column) => column.notNull())
      .execute();
    await db.schema
      .createIndex('helper_stream_slots_owner')
      .on('helper_stream_slots')
      .columns(['owner', 'lease_until'])
      .execute();
    await db.schema
      .createIndex('helper_stream_slots_ip')
      .on('helper_stream_slots')
      .columns(['ip', 'lease_until'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('helper_stream_slots').execute();
    await db.schema.dropTable('helper_limit_windows').execute();
  },
});
