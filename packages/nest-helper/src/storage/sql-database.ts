import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import type { EventFeed } from './event-feed.js';
import { PreparedStatements } from './prepared-statements.js';
import { helperMigrations } from './migrations/index.js';
import type { HelperDatabase, SqlDialectName } from './schema.js';
import type { HelperTransactions } from './transactions.js';

export type Db = Kysely<HelperDatabase> | Transaction<HelperDatabase>;

interface TransactionContext {
  trx: Transaction<HelperDatabase>;
  afterCommit: Array<() => void>;
}

/** The time as stored: ISO 8601 in UTC, which sorts as text in both dialects. */
export const now = (): string => new Date().toISOString();

/**
 * The one Kysely instance under every feature's storage, and its transactions. A feature store
 * reads and writes through `executor()`, which is the transaction the caller runs in, if any: so
 * the stores of several features (an inbound email's conversation, message, email record and
 * outbox entry) write in one transaction without passing it around (docs/architecture.md,
 * "Storage").
 */
export class SqlDatabase implements HelperTransactions {
  private readonly context = new AsyncLocalStorage<TransactionContext>();
  /** Transactions begun through `run` and not yet ended, on every async path together. */
  private openTransactions = 0;
  private readonly mailboxIds = new Map<string, number>();

  constructor(
    readonly kysely: Kysely<HelperDatabase>,
    readonly dialect: SqlDialectName,
    readonly feed: EventFeed,
    /** PostgreSQL: the statements kept prepared (SQLite keeps its own statement cache). */
    readonly prepared = new PreparedStatements(),
  ) {}

  /** The current transaction, or the database itself outside one. */
  executor(): Db {
    return this.context.getStore()?.trx ?? this.kysely;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.context.getStore()) return work();
    const context = { afterCommit: [] } as unknown as TransactionContext;
    this.openTransactions += 1;
    let result: T;
    try {
      result = await this.kysely
        .transaction()
        .execute((trx) => this.context.run(Object.assign(context, { trx }), work));
    } finally {
      this.openTransactions -= 1;
      // An enabled AsyncLocalStorage makes Node 20 run its hooks on every promise the process
      // creates, the host's too (about 0.1 µs each, some 120 to a chat post); only a transaction
      // needs them. `run` enables it again; switching costs about 5 µs a transaction, what some
      // 50 promises outside it would cost. The count keeps it on while another transaction is
      // open, whose store it would hide (docs/architecture.md, "Storage and transactions").
      if (this.openTransactions === 0) this.context.disable();
    }
    for (const callback of context.afterCommit) callback();
    return result;
  }

  afterCommit(callback: () => void): void {
    const store = this.context.getStore();
    if (store) store.afterCommit.push(callback);
    else callback();
  }

  async lock(key: string): Promise<void> {
    // SQLite has a single writer already; PostgreSQL takes a lock held to the commit.
    if (this.dialect !== 'postgres') return;
    const id = createHash('sha256').update(key).digest().readBigInt64BE(0);
    await sql`select pg_advisory_xact_lock(${id.toString()}::bigint)`.execute(this.executor());
  }

  /** A mailbox's row id; mailboxes are never deleted, so each is looked up once. */
  async mailboxId(slug: string): Promise<number> {
    const known = this.mailboxIds.get(slug);
    if (known !== undefined) return known;
    const row = await this.executor()
      .selectFrom('helper_mailboxes')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    this.mailboxIds.set(slug, Number(row.id));
    return Number(row.id);
  }

  /** Applies the migrations this database has not seen yet. */
  async migrate(): Promise<void> {
    const migrator = new Migrator({
      db: this.kysely,
      provider: { getMigrations: async () => helperMigrations(this.dialect) },
      migrationTableName: 'helper_migrations',
      migrationLockTableName: 'helper_migrations_lock',
    });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  }

  async close(): Promise<void> {
    await this.feed.close();
    await this.kysely.destroy();
  }
}
