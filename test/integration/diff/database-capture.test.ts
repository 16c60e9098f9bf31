import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureBaseline, compareWith } from '../../../src/diff/diff-against.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { freshDatabase, startTestPostgres } from '../state/embedded-server.js';

// Captures read every table of a database in one statement per kind of read (counts, rows):
// each table's rows must still come back under their own table, in key order, and tables over
// diff_max_rows must still be counted, not read.

const SCHEMA = `
  create table accounts (id int primary key, name text);
  create table ledger (account int, currency text, cents int, primary key (currency, account));
  create table tags (label text);
  create table events (id int primary key);
  create schema audit;
  create table audit.log (id int primary key, what text);
  insert into accounts select i, 'a' || i from generate_series(1, 12) i;
  insert into ledger values (1, 'EUR', 5), (2, 'EUR', 7), (1, 'USD', 9);
  insert into tags values ('x'), ('x'), ('y');
  insert into events select generate_series(1, 50);
  insert into audit.log values (1, 'created');
`;

describe('capturing a database with several tables', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startTestPostgres();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('reads each table under its own name, in key order, and counts the tables over the bound', async () => {
    const db = await freshDatabase(server);
    try {
      await queryOnce(db.url, SCHEMA);
      const capture = await captureBaseline(db.url, { rowLimit: 20, maxRows: 20 });
      expect([...capture.tables.keys()].sort()).toEqual([
        'accounts',
        'audit.log',
        'events',
        'ledger',
        'tags',
      ]);
      expect(capture.countedOnly).toEqual(['events']);
      expect(capture.tables.get('events')).toMatchObject({ rowCount: 50 });
      expect(capture.tables.get('events')?.rows).toBeUndefined();
      // Numeric key order (10 after 9), not the order of the key's JSON text.
      expect([...(capture.tables.get('accounts')?.rows?.keys() ?? [])]).toEqual(
        Array.from({ length: 12 }, (_, i) => `[${i + 1}]`),
      );
      expect([...(capture.tables.get('ledger')?.rows?.keys() ?? [])]).toEqual([
        '["EUR", 1]',
        '["EUR", 2]',
        '["USD", 1]',
      ]);
      const tags = [...(capture.tables.get('tags')?.rows?.values() ?? [])];
      expect(tags.map((t) => [t.count, t.json]).sort()).toEqual([
        [1, '{"label":"y"}'],
        [2, '{"label":"x"}'],
      ]);
      expect(capture.tables.get('audit.log')?.rows?.get('[1]')?.json).toBe(
        '{"id":1,"what":"created"}',
      );
    } finally {
      await db.drop();
    }
  });

  it('finds the changes of every table in one comparison', async () => {
    const db = await freshDatabase(server);
    try {
      await queryOnce(db.url, SCHEMA);
      const limits = { rowLimit: 20, maxRows: 20 };
      const before = await captureBaseline(db.url, limits);
      await queryOnce(
        db.url,
        `update accounts set name = 'renamed' where id = 10;
         delete from ledger where currency = 'USD';
         alter table tags add column colour text;
         insert into tags values ('x', 'red');
         insert into events values (51);
         insert into audit.log values (2, 'paid');`,
      );
      const diff = await compareWith(before, db.url, { from: 'before', to: 'after' }, limits);
      const summary = Object.fromEntries(
        diff.tables.map((t) => [t.table, [t.inserted, t.updated, t.deleted]]),
      );
      expect(summary).toEqual({
        accounts: [0, 1, 0],
        events: [1, 0, 0],
        ledger: [0, 0, 1],
        tags: [1, 0, 0],
        'audit.log': [1, 0, 0],
      });
      // A table whose columns changed is compared on the columns both sides have.
      expect(diff.tables.find((t) => t.table === 'tags')).toMatchObject({
        columnsAdded: ['colour'],
        rows: [{ change: 'inserted', values: { label: 'x' } }],
      });
      expect(diff.tables.find((t) => t.table === 'events')?.countsOnly).toEqual({
        rowsBefore: 50,
        rowsAfter: 51,
      });
      expect(diff.tables.find((t) => t.table === 'accounts')?.rows).toEqual([
        expect.objectContaining({ change: 'updated', key: { id: 10 } }),
      ]);
    } finally {
      await db.drop();
    }
  });
});
