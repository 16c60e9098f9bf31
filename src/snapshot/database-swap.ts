import type pg from 'pg';
import type { ConnectionGate } from '../server/connection-gate.js';
import { letIn, lockOut } from './connection-lockout.js';
import { inTransaction } from './in-transaction.js';
import { drainSessions } from './session-drain.js';
import { ident } from './sql-identifier.js';

export interface SwapPlan {
  /** The database whose name stays: the API under test keeps connecting to it. */
  target: string;
  /** A ready database that takes the target's name. */
  replacement: string;
  /** The name the target's old content moves to. */
  old: string;
  drainTimeoutMs: number;
  /** Holds the target's new queries back during the swap (a pausing pooler in front of it). */
  gate?: ConnectionGate | undefined;
  /** The run doing the swap and the target's comment, to mark the lockout of a user database. */
  owner: { runKey: string; comment: string | null };
}

/**
 * Swap `replacement` in under `target`'s name: lock new connections out of the target, end its
 * sessions, then rename target → old and replacement → target in one transaction (the lockout
 * of a user database is marked for `prune`: see `lockOut`). The name is never missing, not even
 * when venomqa is killed between the two renames: PostgreSQL commits both or neither (`ALTER
 * DATABASE … RENAME` is transactional). Returns how long the target refused connections (or,
 * behind a gate, held them back): the window an API under test feels.
 *
 * Sessions are ended without `pg_terminate_backend`'s wait and polled until gone: the waiting
 * form held the window at ~500 ms, polling at 17–29 ms (measured with a 5-connection pool).
 */
export async function swapDatabase(client: pg.ClientBase, plan: SwapPlan): Promise<number> {
  const { target, gate } = plan;
  const started = performance.now();
  await gate?.hold(target);
  try {
    await lockedOutSwap(client, plan);
  } finally {
    await gate?.release(target);
  }
  return performance.now() - started;
}

async function lockedOutSwap(client: pg.ClientBase, plan: SwapPlan): Promise<void> {
  const { target, replacement, old } = plan;
  const marked = await lockOut(client, target, plan.owner);
  let swapped = false;
  try {
    await drainSessions(client, target, plan.drainTimeoutMs);
    await renameInOneTransaction(client, [
      [target, old],
      [replacement, target],
    ]);
    swapped = true;
  } finally {
    if (!swapped) await letIn(client, target, marked);
  }
}

/**
 * Rename databases in one transaction: all renames happen, or none (a failure or a kill rolls
 * them all back). Each rename still needs its database free of other sessions.
 */
export function renameInOneTransaction(
  client: pg.ClientBase,
  renames: readonly (readonly [from: string, to: string])[],
): Promise<void> {
  return inTransaction(
    client,
    renames.map(([from, to]) => `alter database ${ident(from)} rename to ${ident(to)}`),
  );
}

/**
 * Rename `database` to `newName` after locking connections out and ending its sessions, so the
 * content moves away from under an API (a kept failed path's clone leaves its slot this way).
 * The moved database keeps refusing connections only if it refused them before.
 */
export async function moveDatabase(
  client: pg.ClientBase,
  database: string,
  newName: string,
  drainTimeoutMs: number,
  gate?: ConnectionGate,
): Promise<void> {
  await gate?.hold(database);
  try {
    await client.query(`alter database ${ident(database)} with allow_connections false`);
    try {
      await drainSessions(client, database, drainTimeoutMs);
      await client.query(`alter database ${ident(database)} rename to ${ident(newName)}`);
    } catch (error) {
      await client.query(`alter database ${ident(database)} with allow_connections true`);
      throw error;
    }
    await client.query(`alter database ${ident(newName)} with allow_connections true`);
  } finally {
    await gate?.release(database);
  }
}
