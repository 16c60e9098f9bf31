import type { ErrorInfo } from './run-result.js';

/**
 * What a path did to its database, compared with the checkpoint it started from (or what
 * changed between two databases, for `venomqa diff`). Plain data, part of the result tree:
 * values are already redacted (secret-looking columns are `***`).
 */
export interface StateDiff {
  /** What the changes are relative to: the checkpoint's name, or a snapshot's. */
  from: string;
  /** The other side: the path's qualified name, a snapshot's name or a database's. */
  to: string;
  /** Only tables with a change (rows or columns), ordered by name. */
  tables: TableDiff[];
  /** `report.diff_rows`: at most this many rows of each table are shown with their values. */
  rowLimit: number;
  /** `report.diff_max_rows`: tables with more rows on either side are counted only. */
  maxRows: number;
  /**
   * Tables with more than `maxRows` rows on a side, so compared by row count alone: those whose
   * count changed are in `tables` (with `countsOnly`); the others may have changed unseen.
   */
  countedOnly: string[];
  /** Reading the databases and comparing them. */
  durationMs: number;
  /** The comparison could not be made (the tables listed may then be incomplete). */
  error?: ErrorInfo;
}

/** A cell as JSON holds it (`row_to_json`), redacted: numbers, text, booleans, null, JSON. */
export type DiffValue =
  string | number | boolean | null | DiffValue[] | { [key: string]: DiffValue };

/** One table's changes. */
export interface TableDiff {
  /** `orders`, or `schema.orders` outside the `public` schema. */
  table: string;
  /** `added` or `dropped` as a whole, else `changed` (rows or columns). */
  change: 'added' | 'dropped' | 'changed';
  /** Columns rows are matched by (its primary key); absent: whole-row content (no key). */
  key?: string[];
  columnsAdded: string[];
  columnsDropped: string[];
  inserted: number;
  deleted: number;
  updated: number;
  /** The first `rowLimit` changed rows, with their values. */
  rows: RowChange[];
  /** Changed rows not shown: counted above, beyond `rowLimit`. */
  moreRows: number;
  /**
   * Set when a side holds more than `maxRows` rows: only the row counts were compared, so
   * `inserted`/`deleted` are the difference of the counts and `updated` is unknown (0).
   */
  countsOnly?: { rowsBefore: number; rowsAfter: number };
}

/** A row that was inserted, deleted, or updated (by key). */
export type RowChange =
  | { change: 'inserted'; key?: Record<string, DiffValue>; values: Record<string, DiffValue> }
  | { change: 'deleted'; key?: Record<string, DiffValue>; values: Record<string, DiffValue> }
  | {
      change: 'updated';
      key: Record<string, DiffValue>;
      /** Only the columns whose value changed. */
      columns: Record<string, { before: DiffValue; after: DiffValue }>;
    };
