import type { PostgresPool, PostgresPoolClient } from 'kysely';

/**
 * What this needs of a `pg` pool, written out rather than imported: `pg` is an optional peer, and
 * a host on SQLite has no `pg` types for the package's declarations to find.
 */
interface PgPool {
  connect(): Promise<{
    query(config: { name: string; text: string; values?: unknown[] }): Promise<unknown>;
    query(text: string, values?: unknown[]): Promise<unknown>;
    release(destroy?: boolean): void;
  }>;
  end(): Promise<void>;
}

/** More would keep statements prepared that are not hot; each connection holds every one. */
const MAX_PREPARED = 16;

/**
 * The SQL texts of the hottest statements (a chat post), kept prepared on PostgreSQL: each
 * connection parses and plans one once, then runs it again with new values, where a statement
 * sent as text is parsed and planned on every call (docs/storage.md, "PostgreSQL statements").
 */
export class PreparedStatements {
  private readonly names = new Map<string, string>();

  /** Marks `text` as worth preparing; past the limit it runs as text, as everything else does. */
  keep(text: string): void {
    if (this.names.has(text) || this.names.size >= MAX_PREPARED) return;
    this.names.set(text, `helperkit_${this.names.size + 1}`);
  }

  nameOf(text: string): string | undefined {
    return this.names.get(text);
  }
}

/** The pool as Kysely sees it, running the kept statements by name. */
export function preparingPool(pool: PgPool, prepared: PreparedStatements): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      const client = await pool.connect();
      return {
        query: ((query: unknown, values?: unknown[]) => {
          const name = typeof query === 'string' ? prepared.nameOf(query) : undefined;
          return name
            ? client.query({ name, text: query as string, values })
            : client.query(query as string, values);
        }) as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => client.release(destroy),
      };
    },
    end: () => pool.end(),
  };
}
