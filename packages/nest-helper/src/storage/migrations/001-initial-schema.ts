import { sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';
import type { SqlDialectName } from '../schema.js';

/** Adds an auto-incrementing integer key `id`, as each database spells it. */
export const withSerialKey =
  (dialect: SqlDialectName) =>
  <Name extends string>(table: CreateTableBuilder<Name>) =>
    dialect === 'postgres'
      ? table.addColumn('id', 'serial', (column) => column.primaryKey())
      : table.addColumn('id', 'integer', (column) => column.primaryKey().autoIncrement());

export const initialSchema = (dialect: SqlDialectName): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('helper_mailboxes')
      .$call(withSerialKey(dialect))
      .addColumn('slug', 'varchar(64)', (column) => column.notNull().unique())
      .addColumn('display_mode', 'varchar(32)', (column) => column.notNull().defaultTo('always'))
      .addColumn('min_value', 'double precision', (column) => column.notNull().defaultTo(0))
      .addColumn('title', 'varchar(400)', (column) => column.notNull().defaultTo('Support'))
      .addColumn('auto_respond_email_to_chat', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('widget_host', 'text')
      .addColumn('allow_anonymous', 'integer', (column) => column.notNull().defaultTo(1))
      .addColumn('created_at', 'varchar(32)', (column) => column.notNull())
      .addColumn('updated_at', 'varchar(32)', (column) => column.notNull())
      .execute();

    await db.schema
      .createTable('helper_customers')
      .$call(withSerialKey(dialect))
      .addColumn('mailbox_id', 'integer', (column) =>
        column.notNull().references('helper_mailboxes.id').onDelete('cascade'),
      )
      .addColumn('email', 'varchar(1024)', (column) => column.notNull())
      .addColumn('name', 'varchar(1024)')
      .addColumn('value', 'double precision')
      .addColumn('links', 'text', (column) => column.notNull().defaultTo(sql.lit('{}')))
      .addColumn('created_at', 'varchar(32)', (column) => column.notNull())
      .addColumn('updated_at', 'varchar(32)', (column) => column.notNull())
      .addUniqueConstraint('helper_customers_mailbox_email', ['mailbox_id', 'email'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('helper_customers').execute();
    await db.schema.dropTable('helper_mailboxes').execute();
  },
});
