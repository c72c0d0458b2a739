import { Logger } from '@nestjs/common';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type * as PgNamespace from 'pg';
import type { Client, ClientConfig } from 'pg';
import { HelperConfigurationError } from '../configuration-error.js';
import {
  ListenerSet,
  type EphemeralEvent,
  type EphemeralListener,
  type EventFeed,
  type EventListener,
} from './event-feed.js';
import {
  EVENTS_CHANNEL,
  allMailboxIds,
  lastEventIdsByMailbox,
  mailboxEventsAfter,
  parseEventNotice,
  type EventNotice,
} from './event-log.js';
import { PreparedStatements, preparingPool } from './prepared-statements.js';
import type { HelperDatabase } from './schema.js';
import { SqlDatabase } from './sql-database.js';

type PgModule = typeof PgNamespace;

const logger = new Logger('HelperModule');

/** The URL without its password, for messages. */
const redact = (url: string) => url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');

/** `pg` is an optional peer dependency: only hosts that choose PostgreSQL install it. */
async function loadPg(): Promise<PgModule> {
  try {
    const module = (await import('pg')) as PgModule & { default?: PgModule };
    return module.default ?? module;
  } catch {
    throw new HelperConfigurationError(
      'database: PostgreSQL needs the "pg" package: npm install pg',
    );
  }
}

/**
 * Opens the PostgreSQL storage: a pool for queries, migrations (Kysely's migrator locks, so
 * instances starting together migrate once), and a listening connection for other instances'
 * events. Fails at start-up, with what to fix, when the server cannot be reached.
 */
export async function openPostgresDatabase(url: string): Promise<SqlDatabase> {
  const pg = await loadPg();
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server ends (a restart, a failover, an administrator, a proxy's idle
  // timeout) fails as an 'error' event on the pool, which would end the host's process unheard.
  // The pool has dropped that connection already and opens another when one is needed.
  pool.on('error', (error) =>
    logger.warn(
      `PostgreSQL ended an idle connection (${error.message}); the next query opens another.`,
    ),
  );
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end();
    throw new HelperConfigurationError(
      `database: cannot reach PostgreSQL at ${redact(url)} (${(error as Error).message}). ` +
        'Check the URL and that the server is running.',
    );
  }
  const prepared = new PreparedStatements();
  const db = new Kysely<HelperDatabase>({
    dialect: new PostgresDialect({ pool: preparingPool(pool, prepared) }),
  });
  const feed = new PostgresEventFeed(pg, { connectionString: url }, db);
  const database = new SqlDatabase(db, 'postgres', feed, prepared);
  try {
    await database.migrate();
    await feed.start();
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

const RECONNECT_MS = 1000;
const CATCH_UP_PAGE = 1000;
/** Channel of the notifications that carry an ephemeral event itself (typing), never stored. */
const EPHEMERAL_CHANNEL = 'helperkit_ephemeral';

/**
 * Events from every instance, through LISTEN/NOTIFY. A notification carries the committed event
 * itself, or only its id and mailbox when the event is too large; notifications arrive in commit
 * order, which is each mailbox's id order (see event-log.ts). They are handled in arrival order,
 * one batch at a time: a whole event is handed on as it is, an id alone makes the instance read
 * its mailbox's events after the last one handed on (one read serves the batch's later ids). After
 * a lost connection it reconnects and reads every mailbox's missed events, so streams on this
 * instance still see each event once, in order (docs/storage.md, "Events").
 */
export class PostgresEventFeed implements EventFeed {
  private readonly listeners = new ListenerSet();
  private readonly ephemeral = new ListenerSet<EphemeralEvent>();
  private client: Client | undefined;
  /** Per mailbox (internal id): the last event handed on. A mailbox not here has none yet. */
  private readonly lastIds = new Map<number, number>();
  /** Notifications not handled yet, in arrival order. */
  private inbox: EventNotice[] = [];
  /** Every mailbox must be read (after a (re)connect or a failed read) before any notification. */
  private pendingAll = false;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  /** The pending reconnect after a lost listening connection, cleared on close. */
  private reconnecting: ReturnType<typeof setTimeout> | undefined;
  private readPending = false;

  constructor(
    private readonly pg: PgModule,
    private readonly config: ClientConfig,
    private readonly db: Kysely<HelperDatabase>,
  ) {}

  async start(): Promise<void> {
    for (const [mailboxId, id] of await lastEventIdsByMailbox(this.db)) {
      this.lastIds.set(mailboxId, id);
    }
    await this.connect();
  }

  // Notifications deliver this instance's events too, in the same order as everyone else's.
  committed(): void {}

  watch(listener: EventListener): () => void {
    return this.listeners.add(listener);
  }

  /**
   * The event travels in the notification's payload (well below PostgreSQL's 8,000 bytes): every
   * listening instance, this one included, hands it to its streams; one that is reconnecting
   * misses it, which an ephemeral event may.
   */
  async broadcast(event: EphemeralEvent): Promise<void> {
    await sql`select pg_notify(${EPHEMERAL_CHANNEL}, ${JSON.stringify(event)})`.execute(this.db);
  }

  watchEphemeral(listener: EphemeralListener): () => void {
    return this.ephemeral.add(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnecting);
    await this.client?.end().catch(() => undefined);
    await this.queue;
  }

  private async connect(): Promise<void> {
    const client = new this.pg.Client(this.config);
    client.on('notification', (notification) => {
      if (notification.channel === EPHEMERAL_CHANNEL) {
        this.receiveEphemeral(notification.payload);
        return;
      }
      const notice = parseEventNotice(notification.payload);
      // Not ours, or from an older version: reading every mailbox misses nothing.
      if (notice.kind === 'unknown') this.pendingAll = true;
      else this.inbox.push(notice);
      this.enqueue();
    });
    client.on('error', () => undefined); // 'end' follows, and reconnects
    client.on('end', () => {
      if (this.closed) return;
      // unref: a pending reconnect must not keep the process alive once everything else ended.
      this.reconnecting = setTimeout(() => {
        if (!this.closed) void this.connect().catch(() => undefined);
      }, RECONNECT_MS).unref();
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    await client.query(`LISTEN ${EPHEMERAL_CHANNEL}`);
    // Closed while this (re)connect was under way: nobody would end this connection otherwise.
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
    this.pendingAll = true; // whatever was committed while nobody listened
    this.enqueue();
  }

  private receiveEphemeral(payload: string | undefined): void {
    let event: EphemeralEvent;
    try {
      event = JSON.parse(payload ?? '') as EphemeralEvent;
    } catch {
      return; // not ours: someone else notified on the channel
    }
    this.ephemeral.emit(event);
  }

  /**
   * Reads the events after the last one handed on, after the previous read, never beside it.
   * Notifications that arrive while a read waits to start share it: one read takes them all.
   */
  private enqueue(): void {
    if (this.readPending) return;
    this.readPending = true;
    this.queue = this.queue
      .then(() => {
        this.readPending = false;
        return this.catchUp();
      })
      .catch(() => {
        // A failed read (the pool lost its connection): read every mailbox again shortly.
        this.pendingAll = true;
        if (!this.closed) setTimeout(() => this.enqueue(), RECONNECT_MS).unref();
      });
  }

  private async catchUp(): Promise<void> {
    if (this.pendingAll) {
      // Whatever the waiting notifications name committed before this read starts: it sees them.
      this.pendingAll = false;
      this.inbox = [];
      for (const mailboxId of await allMailboxIds(this.db)) await this.readAfterLast(mailboxId);
    }
    const batch = this.inbox;
    this.inbox = [];
    for (const notice of batch) {
      if (notice.kind === 'unknown') continue;
      const id = notice.kind === 'event' ? notice.event.id : notice.id;
      if (id <= (this.lastIds.get(notice.mailboxId) ?? 0)) continue; // an earlier read had it
      if (notice.kind === 'id') {
        await this.readAfterLast(notice.mailboxId);
        continue;
      }
      // Every earlier event of the mailbox came first (commit order), so this one is next.
      this.lastIds.set(notice.mailboxId, id);
      this.listeners.emit(notice.event);
    }
  }

  private async readAfterLast(mailboxId: number): Promise<void> {
    for (;;) {
      const after = this.lastIds.get(mailboxId) ?? 0;
      const events = await mailboxEventsAfter(this.db, mailboxId, after, CATCH_UP_PAGE);
      for (const event of events) {
        this.lastIds.set(mailboxId, event.id);
        this.listeners.emit(event);
      }
      if (events.length < CATCH_UP_PAGE) break;
    }
  }
}
