import type { StateDiff } from '../result/state-diff.js';
import type { SnapshotEngine } from '../snapshot/snapshot-engine.js';
import type { Clone } from '../snapshot/snapshot-types.js';
import { findKeptClone } from '../snapshot/kept-clones.js';
import { captureBaseline, compareWith, type DiffLimits } from './diff-against.js';

/**
 * One side of `venomqa diff`: a named snapshot (read through a temporary clone, since a
 * snapshot refuses connections), a database on the server (the working database), or the
 * clone kept for a failed path (`keep_failed`), by the path's label.
 */
export type DiffTarget = { snapshot: string } | { database: string } | { keptPath: string };

/**
 * What changed from `from` to `to`, both on the engine's server, with the same comparison as
 * a path's state diff in a report. Temporary clones of snapshots are dropped afterwards.
 *
 * @example
 * ```ts
 * const diff = await diffDatabases(engine, { snapshot: 'order_created' }, { snapshot: 'paid' }, {
 *   rowLimit: 20,
 *   maxRows: 100_000,
 * });
 * ```
 */
export async function diffDatabases(
  engine: SnapshotEngine,
  from: DiffTarget,
  to: DiffTarget,
  limits: DiffLimits,
): Promise<StateDiff> {
  const clones: Clone[] = [];
  try {
    const fromUrl = await urlOf(engine, from, clones);
    const toUrl = await urlOf(engine, to, clones);
    const before = await captureBaseline(fromUrl, limits);
    return await compareWith(before, toUrl, { from: labelOf(from), to: labelOf(to) }, limits);
  } finally {
    await Promise.allSettled(clones.map((clone) => clone.drop()));
  }
}

/** How a report names a side: the snapshot's, database's or path's name. */
export function labelOf(target: DiffTarget): string {
  if ('snapshot' in target) return target.snapshot;
  if ('database' in target) return target.database;
  return target.keptPath;
}

async function urlOf(engine: SnapshotEngine, target: DiffTarget, clones: Clone[]): Promise<string> {
  if ('database' in target) return engine.urlFor(target.database);
  if ('keptPath' in target) {
    return engine.urlFor(findKeptClone(await engine.keptClones(), target.keptPath).physical);
  }
  const [clone] = await engine.clone(target.snapshot, 1);
  if (!clone) throw new Error(`no clone of snapshot '${target.snapshot}' was made`);
  clones.push(clone);
  return clone.url;
}
