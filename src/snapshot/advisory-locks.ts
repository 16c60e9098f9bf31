import { createHash } from 'node:crypto';
import type pg from 'pg';
import { withAdminClient } from './admin-connection.js';
import { runKey, runLockId } from './snapshot-names.js';

/**
 * Advisory lock class ids. A run holds its run lock (shared) while any engine of it is open,
 * so `prune` in another process can tell live runs from dead ones; operations on one snapshot
 * name serialise on a name lock across processes, and copies of one live database on a source
 * lock.
 */
const RUN_LOCK_CLASS = 0x7671; // "vq"
const NAME_LOCK_CLASS = 0x7672;
const SOURCE_LOCK_CLASS = 0x7673;

function nameLockId(name: string): number {
  return createHash('sha256').update(name).digest().readInt32BE(0);
}

/** Take `runId`'s run lock on `lease`, a connection that stays open as long as the run. */
export async function takeRunLease(lease: pg.ClientBase, runId: string): Promise<void> {
  // Shared: several engines of one run (or one process) may hold it at once.
  await lease.query('select pg_advisory_lock_shared($1, $2)', [
    RUN_LOCK_CLASS,
    runLockId(runKey(runId)),
  ]);
}

/** The run lock ids held right now, by any session on the server: the runs that are alive. */
export async function liveRunLockIds(client: pg.ClientBase): Promise<Set<number>> {
  const { rows } = await client.query<{ objid: string }>(
    `select objid::text from pg_locks
      where locktype = 'advisory' and classid = $1 and granted`,
    [RUN_LOCK_CLASS],
  );
  return new Set(rows.map((r) => Number(r.objid) | 0));
}

/** Run `work` holding the cross-process lock of snapshot `name`. */
export function withNameLock<T>(
  pool: pg.Pool,
  name: string,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const lock = [NAME_LOCK_CLASS, nameLockId(name)];
  return withAdminClient(pool, async (client) => {
    await client.query('select pg_advisory_lock($1, $2)', lock);
    try {
      return await work(client);
    } finally {
      await client.query('select pg_advisory_unlock($1, $2)', lock);
    }
  });
}

/**
 * Run `work` holding the cross-process lock of copying live database `source` on `client`.
 * A copy locks connections out of its source and lets them in when done: two overlapping copies
 * would have the first let the API back in while the second still needs the source empty.
 */
export async function withSourceLock<T>(
  client: pg.ClientBase,
  source: string,
  work: () => Promise<T>,
): Promise<T> {
  const lock = [SOURCE_LOCK_CLASS, nameLockId(source)];
  await client.query('select pg_advisory_lock($1, $2)', lock);
  try {
    return await work();
  } finally {
    await client.query('select pg_advisory_unlock($1, $2)', lock);
  }
}
