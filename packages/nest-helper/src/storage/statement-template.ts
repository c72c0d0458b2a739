import { CompiledQuery, type RawBuilder } from 'kysely';
import type { Db } from './sql-database.js';

/** Where one named value goes in a statement compiled once. */
class Slot {
  constructor(readonly name: string) {}
}

/**
 * A statement whose text is the same on every call and only its values change, compiled once.
 * Kysely builds a statement's text anew on every call: for the chat post's, two kilobytes of SQL
 * built again on every post, and a new string each time, which every later step (the prepared
 * statements' lookup, `pg`'s check of a statement it prepared) has to read in full
 * (docs/storage.md, "PostgreSQL statements").
 *
 * `build` receives stand-ins for the values, to put in `sql` templates as they are and nothing
 * else: the text must not depend on a value, only where it goes. The text is the first executor's
 * dialect's, so a template serves one database.
 */
export class StatementTemplate<Values extends Record<string, unknown>, Row> {
  private compiled: { sql: string; bindings: readonly unknown[] } | undefined;

  constructor(private readonly build: (values: Values) => RawBuilder<Row>) {}

  /** The statement with these values, compiled on the first call by `executor`'s dialect. */
  bind(executor: Db, values: Values): CompiledQuery<Row> {
    const { sql, bindings } = (this.compiled ??= this.compile(executor));
    // A slot takes the value of its name; anything else in the statement is a constant.
    const parameters = bindings.map((binding) =>
      binding instanceof Slot ? values[binding.name] : binding,
    );
    return CompiledQuery.raw(sql, parameters) as CompiledQuery<Row>;
  }

  private compile(executor: Db): { sql: string; bindings: readonly unknown[] } {
    const slots = new Proxy({} as Values, {
      get: (_target, name) => new Slot(String(name)),
    });
    const { sql, parameters } = this.build(slots).compile(executor);
    return { sql, bindings: parameters };
  }
}
