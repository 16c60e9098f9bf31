import type pg from 'pg';
import type { ConnectionGate } from '../server/connection-gate.js';
import { commentStatement, unmarkedComment } from './connection-lockout.js';
import { dropDatabase } from './database-copier.js';
import { describeDatabase } from './database-description.js';
import { swapDatabase } from './database-swap.js';
import { DatabaseNotFoundError } from './snapshot-errors.js';
import { ident } from './sql-identifier.js';

export interface ReplacePlan {
  targetDb: string;
  replacement: string;
  /** The name the target's old content moves to. */
  old: string;
  /** Drop the old content now; otherwise the caller drops `old` (off its clock). */
  dropOldNow: boolean;
  /** A missing target is simply taken by the replacement (it was moved away on purpose). */
  allowMissing: boolean;
  drainTimeoutMs: number;
  gate: ConnectionGate | undefined;
  /** The run replacing, to mark the lockout of a user database for `prune`. */
  runKey: string;
}

/**
 * Swap `replacement` in under `targetDb`'s name, keeping the target's owner and catalog comment.
 * Returns how long the target was unavailable and whether `old` now exists (to drop later).
 */
export async function replaceDatabase(
  client: pg.ClientBase,
  plan: ReplacePlan,
): Promise<{ unavailableMs: number; oldExists: boolean }> {
  const { targetDb, replacement, old } = plan;
  const target = await describeDatabase(client, targetDb);
  if (!target && plan.allowMissing) {
    await client.query(`alter database ${ident(replacement)} rename to ${ident(targetDb)}`);
    return { unavailableMs: 0, oldExists: false };
  }
  if (!target) throw missingTarget(targetDb);
  // Everything that can fail slowly happens before the window: ownership.
  if (target.owner !== target.currentUser) {
    await client.query(`alter database ${ident(replacement)} owner to ${ident(target.owner)}`);
  }
  const unavailableMs = await swapDatabase(client, {
    target: targetDb,
    replacement,
    old,
    drainTimeoutMs: plan.drainTimeoutMs,
    gate: plan.gate,
    owner: { runKey: plan.runKey, comment: target.comment },
  });
  await client.query(commentStatement(targetDb, unmarkedComment(target.comment)));
  if (plan.dropOldNow) await dropDatabase(client, old);
  return { unavailableMs, oldExists: !plan.dropOldNow };
}

/** The target of a restore does not exist. */
export function missingTarget(database: string): DatabaseNotFoundError {
  return new DatabaseNotFoundError(`Cannot restore into '${database}': no such database`, {
    hint: 'Create it first, or restore into an existing database with --db.',
  });
}
