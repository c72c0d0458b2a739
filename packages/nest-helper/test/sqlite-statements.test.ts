import { describe, expect, it } from '@jest/globals';
import Database from 'libsql';
import { cachingStatements } from '../src/storage/sqlite-statements.js';

/** A fresh in-memory database with a table, and a count of the statements it prepared. */
function openCounted(capacity?: number) {
  const connection = new Database(':memory:');
  connection.exec('create table notes (id integer primary key, key text unique, body text)');
  let prepared = 0;
  const prepare = connection.prepare.bind(connection);
  connection.prepare = ((sql: string) => {
    prepared++;
    return prepare(sql);
  }) as typeof connection.prepare;
  return { db: cachingStatements(connection, capacity), prepared: () => prepared };
}

const INSERT = 'insert into notes (key, body) values (?, ?) returning id, key, body';
const SELECT = 'select key, body from notes order by id';

describe('SQLite statements prepared once', () => {
  it('runs a statement again with other parameters, preparing its text once', () => {
    const { db, prepared } = openCounted();
    expect(db.prepare(INSERT).all(['a', 'first'])).toEqual([{ id: 1, key: 'a', body: 'first' }]);
    expect(db.prepare(INSERT).all(['b', 'second'])).toEqual([{ id: 2, key: 'b', body: 'second' }]);
    expect(db.prepare(SELECT).all([])).toEqual([
      { key: 'a', body: 'first' },
      { key: 'b', body: 'second' },
    ]);
    expect(prepared()).toBe(2);
  });

  it('runs a statement again after it failed', () => {
    const { db } = openCounted();
    db.prepare(INSERT).all(['a', 'first']);
    expect(() => db.prepare(INSERT).all(['a', 'again'])).toThrow(/UNIQUE/);
    expect(db.prepare(INSERT).all(['b', 'second'])).toEqual([{ id: 2, key: 'b', body: 'second' }]);
  });

  it('drops the least recently used text past its capacity, and prepares it again when needed', () => {
    const { db, prepared } = openCounted(2);
    const texts = ['select 1 as n', 'select 2 as n', 'select 3 as n'];
    for (const sql of [...texts, ...texts]) db.prepare(sql).all([]);
    expect(prepared()).toBe(6);
    expect(db.prepare('select 3 as n').all([])).toEqual([{ n: 3 }]);
    expect(prepared()).toBe(6);
  });
});
