import { hostname } from 'node:os';
import type pg from 'pg';
import { ident, literal } from './sql-identifier.js';
import {
  PHYSICAL_PREFIX,
  isDatabaseKind,
  parsePhysicalName,
  type DatabaseKind,
} from './snapshot-names.js';

/**
 * What venomqa knows about a database it created, stored as JSON in `COMMENT ON DATABASE`.
 * The comment lives and dies with the database, survives server restarts, and needs no
 * table in anybody's schema. Kind and owning run are also encoded in the physical name, so
 * even a database whose comment was never written (a crash between the two statements) can
 * be attributed and pruned.
 */
export interface CatalogEntry {
  v: 1;
  kind: DatabaseKind;
  /** Human name: the snapshot's or checkpoint's name; null for clones and temporaries. */
  name: string | null;
  /** The database this one was copied from (physical name). */
  source: string;
  /** Human name of the snapshot it was copied from, when it was one. */
  parent: string | null;
  runId: string;
  pid: number;
  host: string;
  createdAt: string;
  /** Setup templates: the content hash of each input file, to say which changed next time. */
  inputs?: Record<string, string>;
  /** A clone kept for a failed path (`keep_failed`): its `journey/path`, to find it by. */
  path?: string;
}

/** A database as `list()` reports it. */
export interface CatalogRecord {
  physical: string;
  kind: DatabaseKind;
  runKey: string | undefined;
  entry: CatalogEntry | undefined;
  sizeBytes: number;
  isTemplate: boolean;
  allowConnections: boolean;
}

/**
 * A new entry for a database this process is about to create: what it is and where it came
 * from, plus the owner (run, pid, host) and creation time that `prune` reads after a crash.
 */
export function newEntry(
  runId: string,
  what: Pick<CatalogEntry, 'kind' | 'name' | 'source' | 'parent' | 'inputs'>,
): CatalogEntry {
  return {
    v: 1,
    ...what,
    runId,
    pid: process.pid,
    host: hostname(),
    createdAt: new Date().toISOString(),
  };
}

export function encodeEntry(entry: CatalogEntry): string {
  return JSON.stringify(entry);
}

/**
 * The entry in a database comment, or undefined for a comment that is not one venomqa of this
 * format wrote (none, text, cut-off JSON, another version, an unknown kind). Never throws: a
 * database with such a comment is still listed and pruned by its physical name.
 */
export function decodeEntry(comment: string | null): CatalogEntry | undefined {
  if (!comment) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(comment);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Partial<CatalogEntry>;
  return entry.v === 1 && isDatabaseKind(entry.kind) ? (entry as CatalogEntry) : undefined;
}

/**
 * Add `patch` to a database's catalog entry (`keep_failed` records the failed path on its
 * clone). A database without a readable entry is left as it is.
 */
export async function updateEntry(
  client: pg.ClientBase,
  physical: string,
  patch: Pick<CatalogEntry, 'path'>,
): Promise<void> {
  const { rows } = await client.query<{ comment: string | null }>(
    "select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1",
    [physical],
  );
  const entry = decodeEntry(rows[0]?.comment ?? null);
  if (!entry) return;
  await client.query(
    `comment on database ${ident(physical)} is ${literal(encodeEntry({ ...entry, ...patch }))}`,
  );
}

interface CatalogRow {
  datname: string;
  comment: string | null;
  size: string;
  datistemplate: boolean;
  datallowconn: boolean;
}

/** Every database with venomqa's prefix, matched with `starts_with` (never `LIKE`). */
export async function readCatalog(client: pg.ClientBase): Promise<CatalogRecord[]> {
  const { rows } = await client.query<CatalogRow>(
    `select datname, shobj_description(oid, 'pg_database') as comment,
            pg_database_size(oid)::text as size, datistemplate, datallowconn
       from pg_database
      where starts_with(datname, $1)
      order by datname`,
    [PHYSICAL_PREFIX],
  );
  const records: CatalogRecord[] = [];
  for (const row of rows) {
    const parsed = parsePhysicalName(row.datname);
    if (!parsed) continue;
    records.push({
      physical: row.datname,
      kind: parsed.kind,
      runKey: parsed.runKey,
      entry: decodeEntry(row.comment),
      sizeBytes: Number(row.size),
      isTemplate: row.datistemplate,
      allowConnections: row.datallowconn,
    });
  }
  return records;
}
