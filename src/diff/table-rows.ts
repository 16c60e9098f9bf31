import pg from 'pg';
import type { TableSchema } from './table-schema.js';

/**
 * One row (or, in a table without a primary key, every row of one content) as a capture holds
 * it: the server's md5 of its `row_to_json` text, and that text when values were asked for.
 */
export interface CapturedRow {
  hash: string;
  /** How many rows have this content (always 1 in a table with a primary key). */
  count: number;
  /** The row's `row_to_json` text, kept only on the side whose old values a diff shows. */
  json?: string;
}

/**
 * A table's rows by identity: the primary key's values as JSON text (`[42]`, `[7,"EUR"]`), or,
 * without a key, the row's content hash. Ordered by key (or hash), so "the first N rows" of a
 * diff are the same every time.
 */
export type RowsByIdentity = Map<string, CapturedRow>;

// Every function here reads all the tables it is given in one statement: a diff is taken while
// a path holds its API slot, and on a busy server each round trip costs more than the reading.

const HASH = 'md5(row_to_json(t)::text)';

function keyColumns(table: TableSchema): string {
  return table.key.map((c) => `t.${pg.escapeIdentifier(c)}`).join(', ');
}

function identityOf(table: TableSchema): string {
  return table.key.length > 0 ? `json_build_array(${keyColumns(table)})::text` : HASH;
}

/**
 * Each table's row count, exact up to `limit`: `limit + 1` for a table with more rows than
 * that, which is then not read (its rows are compared by count only).
 */
export async function countRowsUpTo(
  client: pg.ClientBase,
  tables: readonly TableSchema[],
  limit: number,
): Promise<number[]> {
  return counts(
    client,
    tables.map((table) => `select count(*)::int from (select 1 from ${table.sql} limit $1) s`),
    [limit + 1],
  );
}

/** Each table's row count, exactly (for the tables over the limit). */
export async function countRows(
  client: pg.ClientBase,
  tables: readonly TableSchema[],
): Promise<number[]> {
  return counts(
    client,
    tables.map((table) => `select count(*)::text from ${table.sql}`),
    [],
  );
}

async function counts(
  client: pg.ClientBase,
  subqueries: readonly string[],
  values: readonly unknown[],
): Promise<number[]> {
  if (subqueries.length === 0) return [];
  const { rows } = await client.query<{ n: (number | string)[] }>(
    `select array[${subqueries.map((q) => `(${q})`).join(', ')}]::text[] as n`,
    [...values],
  );
  return (rows[0]?.n ?? []).map(Number);
}

/**
 * Every row's identity and content hash of each table, with its JSON text when `values` is
 * set, in the tables' order. Hashes are computed by the server, so a side read without values
 * moves 32 bytes per row.
 */
export async function readRows(
  client: pg.ClientBase,
  tables: readonly TableSchema[],
  values: boolean,
): Promise<RowsByIdentity[]> {
  if (tables.length === 0) return [];
  // One union, each table's rows numbered in identity order: the order a union returns its
  // parts in is not promised, so the outer query orders by table and that number.
  const parts = tables.map((table, index) => {
    if (table.key.length > 0) {
      const json = values ? 'row_to_json(t)::text' : 'null::text';
      return `select ${index} as tab, ${identityOf(table)} as k, ${HASH} as h, 1 as n, ${json} as j,
                     row_number() over (order by ${keyColumns(table)}) as o
                from ${table.sql} t`;
    }
    const json = values ? 'min(row_to_json(t)::text)' : 'null::text';
    return `select ${index} as tab, ${HASH} as k, ${HASH} as h, count(*)::int as n, ${json} as j,
                   row_number() over (order by ${HASH}) as o
              from ${table.sql} t group by ${HASH}`;
  });
  const { rows } = await client.query<{
    tab: number;
    k: string;
    h: string;
    n: number;
    j: string | null;
  }>(`select tab, k, h, n, j from (${parts.join('\nunion all\n')}) u order by tab, o`);
  const result = tables.map((): RowsByIdentity => new Map());
  for (const row of rows) {
    result[row.tab]?.set(row.k, {
      hash: row.h,
      count: row.n,
      ...(row.j === null ? {} : { json: row.j }),
    });
  }
  return result;
}

/** Which rows of one table to fetch whole, by identity (as {@link readRows} names them). */
export interface RowsWanted {
  table: TableSchema;
  identities: readonly string[];
}

/** The JSON text of the rows asked for, per request, in one statement for all the tables. */
export async function readRowsByIdentity(
  client: pg.ClientBase,
  wanted: readonly RowsWanted[],
): Promise<Map<string, string>[]> {
  const result = wanted.map(() => new Map<string, string>());
  const asked = wanted.flatMap((w, index) => (w.identities.length > 0 ? [{ ...w, index }] : []));
  if (asked.length === 0) return result;
  const parts = asked.map(({ table, index }, n) => {
    const identity = identityOf(table);
    return `select ${index} as tab, ${identity} as k, row_to_json(t)::text as j from ${table.sql} t
             where ${identity} = any($${n + 1}::text[])`;
  });
  const { rows } = await client.query<{ tab: number; k: string; j: string }>(
    parts.join('\nunion all\n'),
    asked.map((w) => [...w.identities]),
  );
  for (const row of rows) {
    const rowsOf = result[row.tab];
    if (rowsOf && !rowsOf.has(row.k)) rowsOf.set(row.k, row.j);
  }
  return result;
}

/**
 * {@link readRowsByIdentity} for callers that ask table by table: the requests made in the
 * same turn of the event loop (a comparison of all tables at once) go out as one statement.
 */
export function batchedRowReader(
  client: pg.ClientBase,
): (table: TableSchema, identities: readonly string[]) => Promise<Map<string, string>> {
  let pending: {
    wanted: RowsWanted;
    resolve: (rows: Map<string, string>) => void;
    reject: (error: unknown) => void;
  }[] = [];
  const flush = (): void => {
    const batch = pending;
    pending = [];
    readRowsByIdentity(
      client,
      batch.map((p) => p.wanted),
    ).then(
      (rows) => batch.forEach((p, i) => p.resolve(rows[i] ?? new Map<string, string>())),
      (error: unknown) => batch.forEach((p) => p.reject(error)),
    );
  };
  return (table, identities) =>
    new Promise((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ wanted: { table, identities }, resolve, reject });
    });
}
