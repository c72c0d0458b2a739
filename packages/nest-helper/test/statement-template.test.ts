import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import type { SqlDatabase } from '../src/storage/sql-database.js';
import { StatementTemplate } from '../src/storage/statement-template.js';
import { bothDatabases } from './support/databases.js';

interface Values extends Record<string, unknown> {
  name: string;
  count: number | null;
}

interface Row {
  name: string;
  again: string;
  fixed: string;
  count: number | null;
}

// A value used twice, a constant among the values, and one that may be null.
const echoStatement = () =>
  new StatementTemplate<Values, Row>(
    (value) => sql`select ${value.name} as name, ${value.name} as again, ${'fixed'} as fixed,
      cast(${value.count} as integer) as count`,
  );

describe.each(bothDatabases)('a statement compiled once, on %s', (_name, open) => {
  let database: SqlDatabase;
  let echo: StatementTemplate<Values, Row>;
  beforeEach(async () => {
    database = await open();
    echo = echoStatement();
  });
  afterEach(async () => {
    await database.close();
  });

  it("runs with each call's own values, every use of a value and the constants in place", async () => {
    const run = async (values: Values) =>
      (await database.kysely.executeQuery(echo.bind(database.kysely, values))).rows;
    expect(await run({ name: 'first', count: 1 })).toEqual([
      { name: 'first', again: 'first', fixed: 'fixed', count: 1 },
    ]);
    expect(await run({ name: 'second', count: null })).toEqual([
      { name: 'second', again: 'second', fixed: 'fixed', count: null },
    ]);
  });

  it('keeps one text for every call, so a prepared statement is found by it', () => {
    const first = echo.bind(database.kysely, { name: 'a', count: 1 });
    const second = echo.bind(database.kysely, { name: 'b', count: 2 });
    expect(second.sql).toBe(first.sql);
    expect(second.parameters).toEqual(['b', 'b', 'fixed', 2]);
  });
});
