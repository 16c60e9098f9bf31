import type pg from 'pg';
import { openPgClient } from '../server/open-pg-client.js';
import {
  countRows,
  countRowsUpTo,
  readRows,
  type CapturedRow,
  type RowsByIdentity,
} from './table-rows.js';
import { readTableSchemas, type TableSchema } from './table-schema.js';

/** One table of a captured database. */
export interface TableCapture {
  schema: TableSchema;
  rowCount: number;
  /** Absent when the table holds more than `maxRows` rows: it is compared by count only. */
  rows?: RowsByIdentity;
}

/**
 * What a diff needs of one side: every user table's columns and key, and each table's rows by
 * identity with their content hashes (and JSON text when `values` was set), up to `maxRows`
 * rows per table.
 */
export interface DatabaseCapture {
  tables: Map<string, TableCapture>;
  /** Tables counted only, for the message that says so. */
  countedOnly: string[];
}

export interface CaptureOptions {
  /** Tables with more rows than this are counted, not read (`report.diff_max_rows`). */
  maxRows: number;
  /**
   * Keep each row's values: needed on the side a diff compares against (a checkpoint), whose
   * deleted rows and old values it shows. The other side is read by hash and only its first
   * changed rows fetched.
   */
  values: boolean;
}

/**
 * Capture the database `client` is connected to. Everything is read in one repeatable-read,
 * read-only transaction: a consistent view even if something writes meanwhile. The transaction
 * stays open for `then`, which may read more of the same view (the first changed rows).
 */
export async function captureDatabase<T>(
  client: pg.ClientBase,
  options: CaptureOptions,
  then: (capture: DatabaseCapture) => Promise<T>,
): Promise<T> {
  await client.query('begin isolation level repeatable read read only');
  try {
    const capture: DatabaseCapture = { tables: new Map(), countedOnly: [] };
    const schemas = await readTableSchemas(client);
    const bounded = await countRowsUpTo(client, schemas, options.maxRows);
    const isOver = (index: number) => (bounded[index] ?? 0) > options.maxRows;
    const exact = await countRows(
      client,
      schemas.filter((_, i) => isOver(i)),
    );
    const within = schemas.filter((_, i) => !isOver(i));
    const rows = await readRows(client, within, options.values);
    schemas.forEach((schema, index) => {
      if (isOver(index)) {
        capture.tables.set(schema.name, { schema, rowCount: exact.shift() ?? 0 });
        capture.countedOnly.push(schema.name);
      } else {
        const tableRows = rows.shift() ?? new Map<string, CapturedRow>();
        capture.tables.set(schema.name, { schema, rowCount: bounded[index] ?? 0, rows: tableRows });
      }
    });
    return await then(capture);
  } finally {
    await client.query('rollback').catch(() => undefined);
  }
}

/** A client on `url` for `work`, ended afterwards; connection failures are typed errors. */
export async function withDiffClient<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = await openPgClient(url, {
    applicationName: 'venomqa-diff',
    purpose: "venomqa's state diff",
  });
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
