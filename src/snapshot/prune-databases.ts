import type pg from 'pg';
import { liveRunLockIds } from './advisory-locks.js';
import { readCatalog, type CatalogRecord } from './catalog.js';
import { reopenAbandonedLockouts } from './connection-lockout.js';
import { dropDatabase } from './database-copier.js';
import { runLockId } from './snapshot-names.js';
import type { PruneOptions, PruneResult } from './snapshot-types.js';

/**
 * Drop what runs that no longer live left behind: clones, restore temporaries and run-scoped
 * checkpoints whose run holds no advisory lock, and setup templates a newer one of the same
 * project replaced. Named snapshots are never pruned. User databases such a run locked out
 * (killed while snapshotting or restoring them) accept connections again.
 */
export async function pruneDatabases(
  client: pg.ClientBase,
  options: PruneOptions = {},
): Promise<PruneResult> {
  const deadRunsOnly = options.deadRunsOnly ?? true;
  const liveLocks = await liveRunLockIds(client);
  // First the user's databases a killed run left locked out: they are the user's data.
  const reopened = await reopenAbandonedLockouts(client, liveLocks, options);
  const records = await readCatalog(client);
  const now = Date.now();
  const dropped: string[] = [];
  const kept: string[] = [];
  const superseded = supersededTemplates(records);
  for (const record of records) {
    if (record.kind === 'template' && superseded.has(record.physical)) {
      if (!options.dryRun) await dropDatabase(client, record.physical);
      dropped.push(record.physical);
      continue;
    }
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
  return { dropped, kept, reopened };
}

/** Setup templates that are not the newest of their project: their inputs changed since. */
function supersededTemplates(records: readonly CatalogRecord[]): Set<string> {
  const newest = new Map<string, CatalogRecord>();
  for (const record of records) {
    if (record.kind !== 'template' || !record.entry?.name) continue;
    const seen = newest.get(record.entry.name);
    if (!seen || (seen.entry?.createdAt ?? '') < record.entry.createdAt) {
      newest.set(record.entry.name, record);
    }
  }
  const keep = new Set([...newest.values()].map((r) => r.physical));
  return new Set(
    records
      .filter((r) => r.kind === 'template' && r.entry?.name && !keep.has(r.physical))
      .map((r) => r.physical),
  );
}
