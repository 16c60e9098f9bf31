import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compareCaptures, type FetchRows } from '../../../src/diff/compare-captures.js';
import type { DatabaseCapture, TableCapture } from '../../../src/diff/database-capture.js';
import type { RowsByIdentity } from '../../../src/diff/table-rows.js';

// Captures built by hand as the database reads them: identity → server md5 of the row's JSON.

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

type Row = Record<string, unknown>;

function table(
  name: string,
  columns: string[],
  key: string[],
  rows: Row[] | number,
  values = true,
): TableCapture {
  const schema = { name, sql: `"public"."${name}"`, columns, key };
  if (typeof rows === 'number') return { schema, rowCount: rows };
  const byIdentity: RowsByIdentity = new Map();
  for (const row of rows) {
    const json = JSON.stringify(row);
    const identity = key.length > 0 ? JSON.stringify(key.map((k) => row[k])) : md5(json);
    const existing = byIdentity.get(identity);
    byIdentity.set(identity, {
      hash: md5(json),
      count: (existing?.count ?? 0) + 1,
      ...(values ? { json } : {}),
    });
  }
  return { schema, rowCount: rows.length, rows: byIdentity };
}

function capture(...tables: TableCapture[]): DatabaseCapture {
  return {
    tables: new Map(tables.map((t) => [t.schema.name, t])),
    countedOnly: tables.filter((t) => t.rows === undefined).map((t) => t.schema.name),
  };
}

/** The after side's rows by identity, as the database would return them. */
function fetchFrom(after: Record<string, Row[]>): FetchRows & { asked: string[][] } {
  const asked: string[][] = [];
  const fetch = (schema: { name: string; key: string[] }, identities: readonly string[]) => {
    asked.push([...identities]);
    const result = new Map<string, string>();
    for (const row of after[schema.name] ?? []) {
      const json = JSON.stringify(row);
      const identity =
        schema.key.length > 0 ? JSON.stringify(schema.key.map((k) => row[k])) : md5(json);
      if (identities.includes(identity)) result.set(identity, json);
    }
    return Promise.resolve(result);
  };
  return Object.assign(fetch, { asked });
}

const orderColumns = ['id', 'status', 'total_cents'];
const orders = [
  { id: 1, status: 'open', total_cents: 1500 },
  { id: 2, status: 'open', total_cents: 200 },
  { id: 3, status: 'paid', total_cents: 900 },
];

describe('compareCaptures', () => {
  it('finds inserted, updated and deleted rows by primary key, with the changed cells only', async () => {
    const afterOrders = [
      { id: 1, status: 'paid', total_cents: 1500 },
      { id: 3, status: 'paid', total_cents: 900 },
      { id: 4, status: 'open', total_cents: 10 },
    ];
    const fetch = fetchFrom({ orders: afterOrders });
    const [diff, ...rest] = await compareCaptures(
      capture(table('orders', orderColumns, ['id'], orders)),
      capture(table('orders', orderColumns, ['id'], afterOrders, false)),
      fetch,
      { rowLimit: 20 },
    );
    expect(rest).toEqual([]);
    expect(diff).toMatchObject({
      table: 'orders',
      change: 'changed',
      key: ['id'],
      inserted: 1,
      updated: 1,
      deleted: 1,
      moreRows: 0,
    });
    expect(diff?.rows).toEqual([
      { change: 'inserted', key: { id: 4 }, values: { id: 4, status: 'open', total_cents: 10 } },
      { change: 'updated', key: { id: 1 }, columns: { status: { before: 'open', after: 'paid' } } },
      { change: 'deleted', key: { id: 2 }, values: { id: 2, status: 'open', total_cents: 200 } },
    ]);
    // Only the rows shown are fetched from the other side, never a deleted one.
    expect(fetch.asked).toEqual([['[4]', '[1]']]);
  });

  it('leaves out tables without changes', async () => {
    const diffs = await compareCaptures(
      capture(table('orders', orderColumns, ['id'], orders)),
      capture(table('orders', orderColumns, ['id'], orders, false)),
      fetchFrom({ orders }),
      { rowLimit: 20 },
    );
    expect(diffs).toEqual([]);
  });

  it('shows the first rowLimit rows and counts the rest', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({
      id: 10 + i,
      status: 'open',
      total_cents: i,
    }));
    const [diff] = await compareCaptures(
      capture(table('orders', orderColumns, ['id'], orders)),
      capture(table('orders', orderColumns, ['id'], [...orders, ...many], false)),
      fetchFrom({ orders: [...orders, ...many] }),
      { rowLimit: 5 },
    );
    expect(diff?.inserted).toBe(30);
    expect(diff?.rows.map((r) => r.change === 'inserted' && r.key)).toEqual(
      [10, 11, 12, 13, 14].map((id) => ({ id })),
    );
    expect(diff?.moreRows).toBe(25);
  });

  it('compares tables without a primary key by whole rows, duplicates counted', async () => {
    const log = [{ line: 'a' }, { line: 'a' }, { line: 'b' }];
    const afterLog = [{ line: 'a' }, { line: 'b' }, { line: 'b' }, { line: 'c' }];
    const [diff] = await compareCaptures(
      capture(table('log', ['line'], [], log)),
      capture(table('log', ['line'], [], afterLog, false)),
      fetchFrom({ log: afterLog }),
      { rowLimit: 20 },
    );
    expect(diff).toMatchObject({ inserted: 2, deleted: 1, updated: 0 });
    expect(diff?.key).toBeUndefined();
    expect(diff?.rows.map((r) => [r.change, r.change === 'updated' ? {} : r.values])).toEqual(
      expect.arrayContaining([
        ['inserted', { line: 'b' }],
        ['inserted', { line: 'c' }],
        ['deleted', { line: 'a' }],
      ]),
    );
  });

  it('reports tables added and dropped with all their rows', async () => {
    const diffs = await compareCaptures(
      capture(table('old_things', ['id'], ['id'], [{ id: 1 }])),
      capture(table('new_things', ['id', 'name'], ['id'], [{ id: 7, name: 'x' }], false)),
      fetchFrom({ new_things: [{ id: 7, name: 'x' }] }),
      { rowLimit: 20 },
    );
    expect(diffs.map((d) => [d.table, d.change, d.inserted, d.deleted])).toEqual([
      ['new_things', 'added', 1, 0],
      ['old_things', 'dropped', 0, 1],
    ]);
    expect(diffs[0]?.rows).toEqual([
      { change: 'inserted', key: { id: 7 }, values: { id: 7, name: 'x' } },
    ]);
  });

  it('reports columns added and dropped, and compares rows on the columns both sides have', async () => {
    const afterOrders = orders.map(({ id, status }) => ({ id, status, note: null }));
    afterOrders[0] = { id: 1, status: 'cancelled', note: null };
    const [diff] = await compareCaptures(
      capture(table('orders', orderColumns, ['id'], orders)),
      capture(table('orders', ['id', 'status', 'note'], ['id'], afterOrders, false)),
      fetchFrom({ orders: afterOrders }),
      { rowLimit: 20 },
    );
    expect(diff).toMatchObject({
      columnsAdded: ['note'],
      columnsDropped: ['total_cents'],
      updated: 1,
      inserted: 0,
      deleted: 0,
    });
    expect(diff?.rows).toEqual([
      {
        change: 'updated',
        key: { id: 1 },
        columns: { status: { before: 'open', after: 'cancelled' } },
      },
    ]);
  });

  it('compares a table over diff_max_rows on a side by its row count alone', async () => {
    const [diff] = await compareCaptures(
      capture(table('events', ['id'], ['id'], 150_000)),
      capture(table('events', ['id'], ['id'], 150_003)),
      fetchFrom({}),
      { rowLimit: 20 },
    );
    expect(diff).toMatchObject({
      countsOnly: { rowsBefore: 150_000, rowsAfter: 150_003 },
      inserted: 3,
      deleted: 0,
      rows: [],
    });
    const same = await compareCaptures(
      capture(table('events', ['id'], ['id'], 150_000)),
      capture(table('events', ['id'], ['id'], 150_000)),
      fetchFrom({}),
      { rowLimit: 20 },
    );
    expect(same).toEqual([]);
  });

  it('redacts secret-looking columns and card numbers in the values it shows', async () => {
    const users = [{ id: 1, email: 'a@x.test', password_hash: 'scrypt$1$abc', note: 'hi' }];
    const afterUsers = [
      { id: 1, email: 'a@x.test', password_hash: 'scrypt$1$def', note: '4242 4242 4242 4242' },
    ];
    const columns = ['id', 'email', 'password_hash', 'note'];
    const [diff] = await compareCaptures(
      capture(table('users', columns, ['id'], users)),
      capture(table('users', columns, ['id'], afterUsers, false)),
      fetchFrom({ users: afterUsers }),
      { rowLimit: 20 },
    );
    expect(diff?.rows).toEqual([
      {
        change: 'updated',
        key: { id: 1 },
        columns: {
          password_hash: { before: '***', after: '***' },
          note: { before: 'hi', after: '***' },
        },
      },
    ]);
  });
});
