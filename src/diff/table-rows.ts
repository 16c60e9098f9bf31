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

function keyExpression(table: TableSchema): string {
  return `json_build_array(${table.key.map((c) => `t.${pg.escapeIdentifier(c)}`).join(', ')})::text`;
}

/** The table's row count, exact: `limit + 1` when it has more rows than `limit`. */
export async function countRowsUpTo(
  client: pg.ClientBase,
  table: TableSchema,
  limit: number,
): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `select count(*)::int as n from (select 1 from ${table.sql} limit $1) s`,
    [limit + 1],
  );
  return rows[0]?.n ?? 0;
}

/** Every row of the table, exactly counted. */
export async function countRows(client: pg.ClientBase, table: TableSchema): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    `select count(*)::text as n from ${table.sql}`,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Every row's identity and content hash, with its JSON text when `values` is set. Hashes are
 * computed by the server, so a side read without values moves 32 bytes per row.
 */
export async function readRows(
  client: pg.ClientBase,
  table: TableSchema,
  values: boolean,
): Promise<RowsByIdentity> {
  const json = values ? ', row_to_json(t)::text as j' : '';
  const sql =
    table.key.length > 0
      ? `select ${keyExpression(table)} as k, md5(row_to_json(t)::text) as h, 1 as n${json}
           from ${table.sql} t order by ${table.key.map((c) => `t.${pg.escapeIdentifier(c)}`).join(', ')}`
      : `select md5(row_to_json(t)::text) as k, md5(row_to_json(t)::text) as h, count(*)::int as n${values ? ', min(row_to_json(t)::text) as j' : ''}
           from ${table.sql} t group by 1 order by 1`;
  const { rows } = await client.query<{ k: string; h: string; n: number; j?: string }>(sql);
  const result: RowsByIdentity = new Map();
  for (const row of rows) {
    result.set(row.k, {
      hash: row.h,
      count: row.n,
      ...(row.j === undefined ? {} : { json: row.j }),
    });
  }
  return result;
}

/** The JSON text of the rows with these identities (as {@link readRows} names them). */
export async function readRowsByIdentity(
  client: pg.ClientBase,
  table: TableSchema,
  identities: readonly string[],
): Promise<Map<string, string>> {
  if (identities.length === 0) return new Map();
  const identity = table.key.length > 0 ? keyExpression(table) : 'md5(row_to_json(t)::text)';
  const { rows } = await client.query<{ k: string; j: string }>(
    `select ${identity} as k, row_to_json(t)::text as j from ${table.sql} t
      where ${identity} = any($1::text[])`,
    [identities],
  );
  const result = new Map<string, string>();
  for (const row of rows) if (!result.has(row.k)) result.set(row.k, row.j);
  return result;
}
