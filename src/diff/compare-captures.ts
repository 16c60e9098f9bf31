import { createHash } from 'node:crypto';
import type { TableDiff } from '../result/state-diff.js';
import type { DatabaseCapture, TableCapture } from './database-capture.js';
import { identityChanges, rowChanges } from './row-changes.js';
import { rawRow } from './row-values.js';
import type { RowsByIdentity } from './table-rows.js';
import type { TableSchema } from './table-schema.js';

/** Reads the JSON text of the other side's rows with these identities (in its transaction). */
export type FetchRows = (
  table: TableSchema,
  identities: readonly string[],
) => Promise<ReadonlyMap<string, string>>;

export interface CompareOptions {
  /** Rows shown with values per table (`report.diff_rows`). */
  rowLimit: number;
}

/**
 * The tables that differ between `before` (captured with values) and `after` (captured by
 * hash; `fetchAfter` reads the rows to show), ordered by name. A table on one side only is
 * `added` or `dropped` with all its rows; a table counted only on either side is compared by
 * its row count. Tables are compared concurrently, so `fetchAfter` is called for several
 * tables in the same turn and may batch them.
 */
export async function compareCaptures(
  before: DatabaseCapture,
  after: DatabaseCapture,
  fetchAfter: FetchRows,
  options: CompareOptions,
): Promise<TableDiff[]> {
  const names = [...new Set([...before.tables.keys(), ...after.tables.keys()])].sort();
  // All tables at once: a fetcher may then read every table's rows in one round trip.
  const diffs = await Promise.all(
    names.map((name) =>
      compareTable(before.tables.get(name), after.tables.get(name), fetchAfter, options),
    ),
  );
  return diffs.filter((diff): diff is TableDiff => diff !== undefined);
}

const NO_ROWS: RowsByIdentity = new Map();

async function compareTable(
  before: TableCapture | undefined,
  after: TableCapture | undefined,
  fetchAfter: FetchRows,
  options: CompareOptions,
): Promise<TableDiff | undefined> {
  const schema = after?.schema ?? before?.schema;
  if (!schema) return undefined;
  const beforeColumns = before?.schema.columns ?? [];
  const afterColumns = after?.schema.columns ?? [];
  const diff: TableDiff = {
    table: schema.name,
    change: before === undefined ? 'added' : after === undefined ? 'dropped' : 'changed',
    columnsAdded: before ? afterColumns.filter((c) => !beforeColumns.includes(c)) : [],
    columnsDropped: after ? beforeColumns.filter((c) => !afterColumns.includes(c)) : [],
    inserted: 0,
    deleted: 0,
    updated: 0,
    rows: [],
    moreRows: 0,
  };
  const beforeRows = before === undefined ? NO_ROWS : before.rows;
  const afterRows = after === undefined ? NO_ROWS : after.rows;
  if (beforeRows === undefined || afterRows === undefined) {
    // More than diff_max_rows rows on a side: the counts are all there is.
    const rowsBefore = before?.rowCount ?? 0;
    const rowsAfter = after?.rowCount ?? 0;
    diff.countsOnly = { rowsBefore, rowsAfter };
    diff.inserted = Math.max(0, rowsAfter - rowsBefore);
    diff.deleted = Math.max(0, rowsBefore - rowsAfter);
    return isChange(diff) ? diff : undefined;
  }
  const key = sameKey(before, after) ? schema.key : [];
  const common = afterColumns.filter((c) => beforeColumns.includes(c));
  const sameColumns =
    before === undefined ||
    after === undefined ||
    beforeColumns.join('\0') === afterColumns.join('\0');
  let compareBefore = beforeRows;
  let compareAfter = afterRows;
  let fetched: ReadonlyMap<string, string> | undefined;
  if (!sameColumns && after !== undefined) {
    // Hashes cover every column, so rows of a table whose columns changed are compared on the
    // columns both sides have, from their values.
    const all = await fetchAfter(after.schema, [...afterRows.keys()]);
    const keyed = key.length > 0;
    compareBefore = rehash(beforeRows, (identity) => beforeRows.get(identity)?.json, common, keyed);
    compareAfter = rehash(afterRows, (identity) => all.get(identity), common, keyed);
    fetched = new Map([...compareAfter].flatMap(([id, row]) => (row.json ? [[id, row.json]] : [])));
  }
  const changes = identityChanges(compareBefore, compareAfter, key.length > 0, options.rowLimit);
  diff.inserted = changes.inserted;
  diff.deleted = changes.deleted;
  diff.updated = changes.updated;
  const wanted = changes.shown.filter((s) => s.change !== 'deleted').map((s) => s.identity);
  const afterJson =
    fetched ??
    (after === undefined ? new Map<string, string>() : await fetchAfter(after.schema, wanted));
  diff.rows = rowChanges(changes, { key, common, before: compareBefore, after: afterJson });
  diff.moreRows = changes.inserted + changes.deleted + changes.updated - diff.rows.length;
  if (key.length > 0) diff.key = [...key];
  return isChange(diff) ? diff : undefined;
}

/** Rows are matched by key only when both sides have the same primary key. */
function sameKey(before: TableCapture | undefined, after: TableCapture | undefined): boolean {
  if (before === undefined || after === undefined)
    return (before ?? after)?.schema.key.length !== 0;
  return (
    before.schema.key.length > 0 && before.schema.key.join('\0') === after.schema.key.join('\0')
  );
}

/**
 * The same rows with hashes of only `columns` (for tables whose columns changed). Without a
 * key a row's identity is its hash, so rows are then grouped anew by the new hash.
 */
function rehash(
  rows: RowsByIdentity,
  jsonOf: (identity: string) => string | undefined,
  columns: readonly string[],
  keyed: boolean,
): RowsByIdentity {
  const result: RowsByIdentity = new Map();
  for (const [identity, row] of rows) {
    const json = jsonOf(identity);
    const raw = rawRow(json);
    const hash = createHash('md5')
      .update(JSON.stringify(columns.map((c) => raw[c] ?? null)))
      .digest('hex');
    const id = keyed ? identity : hash;
    const count = (keyed ? 0 : (result.get(id)?.count ?? 0)) + row.count;
    result.set(id, { hash, count, ...(json === undefined ? {} : { json }) });
  }
  return result;
}

function isChange(diff: TableDiff): boolean {
  return (
    diff.change !== 'changed' ||
    diff.inserted + diff.deleted + diff.updated > 0 ||
    diff.columnsAdded.length > 0 ||
    diff.columnsDropped.length > 0
  );
}
