import type pg from 'pg';
import { inTransaction } from './in-transaction.js';
import { PHYSICAL_PREFIX, runLockId } from './snapshot-names.js';
import { ident, literal } from './sql-identifier.js';

/**
 * A lockout (`ALLOW_CONNECTIONS false`) of a database venomqa did not create — the source of a
 * snapshot, the target of a restore — is marked in the database's comment, which keeps the
 * comment it had. A run killed before it lets connections back in leaves the marker behind, and
 * `venomqa prune` (finding the run gone) lets connections in and puts the comment back: without
 * it the user's database would refuse every connection until someone ran `ALTER DATABASE`.
 *
 * A comment, because the database's owner may write one (a database-level setting of an
 * unknown parameter needs a superuser) and it lives and dies with the database. Databases
 * venomqa made are not marked: `prune` drops those of a dead run.
 */
interface LockoutMarker {
  venomqaLockout: { runKey: string; pid: number; at: string };
  /** The comment the database had before the lockout. */
  comment: string | null;
}

/** What `letIn` needs to undo a marked lockout: the comment to put back. */
export interface MarkedLockout {
  comment: string | null;
}

function decodeMarker(comment: string | null): LockoutMarker | undefined {
  if (comment === null || !comment.startsWith('{"venomqaLockout"')) return undefined;
  try {
    const value = JSON.parse(comment) as Partial<LockoutMarker>;
    return typeof value.venomqaLockout?.runKey === 'string' ? (value as LockoutMarker) : undefined;
  } catch {
    return undefined;
  }
}

/** The comment a database had before venomqa marked it (itself when it is not marked). */
export function unmarkedComment(comment: string | null): string | null {
  const marker = decodeMarker(comment);
  return marker ? marker.comment : comment;
}

/**
 * Lock new connections out of `database`. One venomqa did not create is marked first, in the
 * same transaction, so the lockout and its marker exist together or not at all; the result is
 * what `letIn` takes to undo it.
 */
export async function lockOut(
  client: pg.ClientBase,
  database: string,
  owner: { runKey: string; comment: string | null },
): Promise<MarkedLockout | undefined> {
  if (database.startsWith(PHYSICAL_PREFIX)) {
    await client.query(`alter database ${ident(database)} with allow_connections false`);
    return undefined;
  }
  const marked = { comment: unmarkedComment(owner.comment) };
  const marker: LockoutMarker = {
    venomqaLockout: { runKey: owner.runKey, pid: process.pid, at: new Date().toISOString() },
    comment: marked.comment,
  };
  await inTransaction(client, [
    `comment on database ${ident(database)} is ${literal(JSON.stringify(marker))}`,
    `alter database ${ident(database)} with allow_connections false`,
  ]);
  return marked;
}

/** Let connections into `database` again and, when it was marked, put its comment back. */
export async function letIn(
  client: pg.ClientBase,
  database: string,
  marked: MarkedLockout | undefined,
): Promise<void> {
  const open = `alter database ${ident(database)} with allow_connections true`;
  if (!marked) {
    await client.query(open);
    return;
  }
  await inTransaction(client, [open, commentStatement(database, marked.comment)]);
}

/** `COMMENT ON DATABASE` setting `comment`, or removing it for null. */
export function commentStatement(database: string, comment: string | null): string {
  return `comment on database ${ident(database)} is ${comment === null ? 'null' : literal(comment)}`;
}

/**
 * Databases a run that no longer lives locked out and never let in again (it was killed):
 * connections are let in and the comment put back. Returns their names.
 */
export async function reopenAbandonedLockouts(
  client: pg.ClientBase,
  liveRunLocks: ReadonlySet<number>,
  options: { dryRun?: boolean } = {},
): Promise<string[]> {
  const { rows } = await client.query<{ datname: string; comment: string | null }>(
    `select datname, shobj_description(oid, 'pg_database') as comment
       from pg_database
      where not datallowconn and not datistemplate and not starts_with(datname, $1)`,
    [PHYSICAL_PREFIX],
  );
  const reopened: string[] = [];
  for (const row of rows) {
    const marker = decodeMarker(row.comment);
    if (!marker || liveRunLocks.has(runLockId(marker.venomqaLockout.runKey))) continue;
    if (!options.dryRun) await letIn(client, row.datname, { comment: marker.comment });
    reopened.push(row.datname);
  }
  return reopened;
}
