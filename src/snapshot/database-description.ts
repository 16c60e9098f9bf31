import type pg from 'pg';
import { decodeEntry } from './catalog.js';

/** What the engine reads of a database before copying or replacing it. */
export interface DatabaseDescription {
  allowConnections: boolean;
  owner: string;
  currentUser: string;
  comment: string | null;
  /** The human name in its catalog comment, when venomqa made it from a snapshot. */
  snapshotName: string | null;
}

export async function databaseExists(client: pg.ClientBase, database: string): Promise<boolean> {
  const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [
    database,
  ]);
  return (rowCount ?? 0) > 0;
}

/** Undefined when there is no such database. */
export async function describeDatabase(
  client: pg.ClientBase,
  database: string,
): Promise<DatabaseDescription | undefined> {
  const { rows } = await client.query<{
    datallowconn: boolean;
    owner: string;
    current_user: string;
    comment: string | null;
  }>(
    `select datallowconn, pg_get_userbyid(datdba) as owner, current_user,
            shobj_description(oid, 'pg_database') as comment
       from pg_database where datname = $1`,
    [database],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    allowConnections: row.datallowconn,
    owner: row.owner,
    currentUser: row.current_user,
    comment: row.comment,
    snapshotName: decodeEntry(row.comment)?.name ?? null,
  };
}
