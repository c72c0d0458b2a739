import { afterEach, describe, expect, it } from '@jest/globals';
import type { SqliteDatabase } from 'kysely';
import Database from 'libsql';
import { rmSync } from 'node:fs';
import { withStatementCache } from '../src/storage/statement-cache.js';
import { tempDatabasePath } from './support/app.js';

/** A real SQLite file, with a count of the statements SQLite was asked to prepare. */
function countingConnection() {
  const path = tempDatabasePath();
  const connection = new Database(path);
  const prepared: string[] = [];
  const counted: SqliteDatabase = {
    close: () => connection.close(),
    prepare: (sql) => {
      prepared.push(sql);
      return connection.prepare(sql) as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
  };
  connection.exec('create table notes (id integer primary key, body text not null unique)');
  const close = () => {
    connection.close();
    rmSync(path, { force: true });
  };
  return { counted, prepared, close };
}

describe('the SQLite statement cache', () => {
  let close: () => void = () => undefined;
  afterEach(() => close());

  it('prepares each SQL text once and runs it with each call’s own parameters', () => {
    const sqlite = countingConnection();
    close = sqlite.close;
    const db = withStatementCache(sqlite.counted);
    const insert = 'insert into notes (body) values (?)';
    for (const body of ['first', 'second', 'third']) db.prepare(insert).run([body]);
    const select = 'select body from notes where id = ?';
    expect(db.prepare(select).all([2])).toMatchObject([{ body: 'second' }]);
    expect(db.prepare(select).all([3])).toMatchObject([{ body: 'third' }]);
    expect(sqlite.prepared).toEqual([insert, select]);
  });

  it('runs a kept statement again after it failed', () => {
    const sqlite = countingConnection();
    close = sqlite.close;
    const db = withStatementCache(sqlite.counted);
    const insert = 'insert into notes (body) values (?)';
    db.prepare(insert).run(['once']);
    expect(() => db.prepare(insert).run(['once'])).toThrow(/UNIQUE/);
    db.prepare(insert).run(['twice']);
    expect(db.prepare('select count(*) as n from notes').all([])).toMatchObject([{ n: 2 }]);
  });

  it('keeps at most `size` statements, the least recently used leaving first', () => {
    const sqlite = countingConnection();
    close = sqlite.close;
    const db = withStatementCache(sqlite.counted, 2);
    const [a, b, c] = ['select 1 as n', 'select 2 as n', 'select 3 as n'];
    for (const sql of [a, b, a, c, a, b]) db.prepare(sql).all([]);
    // c pushed out b (a was used more recently); b came back and pushed out c.
    expect(sqlite.prepared).toEqual([a, b, c, b]);
  });
});
