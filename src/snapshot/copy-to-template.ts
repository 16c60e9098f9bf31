import type pg from 'pg';
import type { ConnectionGate } from '../server/connection-gate.js';
import { withSourceLock } from './advisory-locks.js';
import type { CatalogEntry } from './catalog.js';
import { letIn, lockOut, type MarkedLockout } from './connection-lockout.js';
import type { DatabaseCopier } from './database-copier.js';
import { describeDatabase } from './database-description.js';
import { SQLSTATE, sqlState } from './postgres-error-codes.js';
import { drainSessions } from './session-drain.js';
import { DatabaseNotFoundError, SnapshotExistsError } from './snapshot-errors.js';
import { ident } from './sql-identifier.js';

/** How `copyToTemplate` copies a live database into a snapshot or checkpoint. */
export interface TemplateCopyPlan {
  /** The human name, for errors. */
  name: string;
  sourceDb: string;
  physical: string;
  /** The catalog entry, given the snapshot the source was itself made from (its parent). */
  entry: (parent: string | null) => CatalogEntry;
  copier: DatabaseCopier;
  drainTimeoutMs: number;
  /** The server's maintenance database, which is never locked out (venomqa is connected to it). */
  maintenanceDatabase: string;
  /** Holds the source's new queries back during the copy (a pausing pooler in front of it). */
  gate: ConnectionGate | undefined;
  /** The run copying, to mark the lockout of a user database for `prune`. */
  runKey: string;
}

/**
 * Copy `sourceDb` into a template database that refuses connections. PostgreSQL copies only a
 * database nobody is connected to, so new connections are locked out and sessions ended for
 * the copy, and let back in afterwards whatever happens (behind a gate, the source's API waits
 * instead of being refused). Copies of one source take turns (see `withSourceLock`).
 */
export function copyToTemplate(client: pg.ClientBase, plan: TemplateCopyPlan): Promise<void> {
  return withSourceLock(client, plan.sourceDb, () => lockedCopy(client, plan));
}

async function lockedCopy(client: pg.ClientBase, plan: TemplateCopyPlan): Promise<void> {
  const { sourceDb, physical, gate } = plan;
  const source = await describeDatabase(client, sourceDb);
  if (!source) {
    throw new DatabaseNotFoundError(`Cannot snapshot '${sourceDb}': no such database`);
  }
  const lockedOut = source.allowConnections && sourceDb !== plan.maintenanceDatabase;
  if (lockedOut) await gate?.hold(sourceDb);
  let marked: MarkedLockout | undefined;
  try {
    // Outside the try below: a lockout that failed has nothing to undo.
    if (lockedOut) {
      marked = await lockOut(client, sourceDb, { runKey: plan.runKey, comment: source.comment });
    }
  } catch (error) {
    await gate?.release(sourceDb);
    throw error;
  }
  try {
    if (lockedOut) await drainSessions(client, sourceDb, plan.drainTimeoutMs);
    await plan.copier.copy(client, physical, sourceDb, plan.entry(source.snapshotName));
    await client.query(
      `alter database ${ident(physical)} with is_template true allow_connections false`,
    );
  } catch (error) {
    if (sqlState(error) === SQLSTATE.duplicateDatabase) {
      throw new SnapshotExistsError(`Snapshot '${plan.name}' exists already`, { cause: error });
    }
    throw error;
  } finally {
    if (lockedOut) {
      try {
        await letIn(client, sourceDb, marked);
      } finally {
        await gate?.release(sourceDb);
      }
    }
  }
}
