import type pg from 'pg';
import { liveRunLockIds } from './advisory-locks.js';
import { readCatalog } from './catalog.js';
import { dropDatabase } from './database-copier.js';
import { runLockId } from './snapshot-names.js';
import type { PruneOptions, PruneResult } from './snapshot-types.js';

/**
 * Drop what runs that no longer live left behind: clones, restore temporaries and run-scoped
 * checkpoints whose run holds no advisory lock. Named snapshots are never pruned.
 */
export async function pruneDatabases(
  client: pg.ClientBase,
  options: PruneOptions = {},
): Promise<PruneResult> {
  const deadRunsOnly = options.deadRunsOnly ?? true;
  const records = await readCatalog(client);
  const liveLocks = await liveRunLockIds(client);
  const now = Date.now();
  const dropped: string[] = [];
  const kept: string[] = [];
  for (const record of records) {
    if (record.kind === 'snapshot' || record.runKey === undefined) continue;
    const alive = liveLocks.has(runLockId(record.runKey));
    const createdAt = record.entry ? Date.parse(record.entry.createdAt) : Number.NaN;
    const oldEnough =
      options.olderThanMs === undefined ||
      Number.isNaN(createdAt) ||
      now - createdAt >= options.olderThanMs;
    if ((deadRunsOnly && alive) || !oldEnough) {
      kept.push(record.physical);
      continue;
    }
    if (!options.dryRun) await dropDatabase(client, record.physical);
    dropped.push(record.physical);
  }
  return { dropped, kept };
}
