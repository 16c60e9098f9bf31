import createDebug from 'debug';
import pLimit, { type LimitFunction } from 'p-limit';
import type { TargetInstance } from '../api/target.js';
import type { BranchNode, PathNode } from '../journey/journey-nodes.js';
import type { BranchableDatabase, PathDatabase } from '../state/branchable-database.js';
import { checkpointSavepointName } from '../state/checkpoint-name.js';
import { toErrorInfo } from './error-info.js';
import { elapsed, type JourneyWalk } from './journey-walk.js';
import type { JourneyLine } from './journey-line.js';
import { pathResult, skippedItems, skippedPath } from './path-results.js';
import type { ErrorInfo, ItemResult, PathResult } from '../result/run-result.js';

const debug = createDebug('venomqa:runner');

/**
 * `api.reuse: false`: every path on its own clone with its own freshly started API instance,
 * `parallel_paths` at a time. As many more paths get their clone and API ready meanwhile, so
 * an API's start-up overlaps the steps of the path before it. A nested branch has limits of
 * its own (concurrency multiplies with depth).
 */
export async function branchPerPath(
  walk: JourneyWalk,
  branch: BranchNode,
  line: JourneyLine,
): Promise<PathResult[]> {
  const database = line.database;
  if (!database) throw new Error('per-path branches need a database to clone');
  const parallel = walk.settings.parallelPaths;
  const running = pLimit(parallel);
  const alive = pLimit(2 * parallel);
  // A finished path's API is stopped and its clone dropped behind the next path's start, off
  // the critical path; the branch waits for all of it before it returns.
  const cleanups: Promise<void>[] = [];
  try {
    return await Promise.all(
      branch.paths.map((path) =>
        alive(() =>
          isolatedPath(walk, path, branch, line, database, running, (cleanup) =>
            // Handled now: a failed drop while siblings still run must not be unhandled.
            cleanups.push(cleanup.catch((e: unknown) => debug('cleanup of %s: %o', path.name, e))),
          ),
        ),
      ),
    );
  } finally {
    await Promise.allSettled(cleanups);
  }
}

/**
 * One path on its own clone (prewarmed after the checkpoint when one is ready) with its own API
 * instance; its steps run once `running` has room.
 */
async function isolatedPath(
  walk: JourneyWalk,
  path: PathNode,
  branch: BranchNode,
  parent: JourneyLine,
  database: BranchableDatabase,
  running: LimitFunction,
  defer: (cleanup: Promise<void>) => void,
): Promise<PathResult> {
  const { abort } = walk;
  if (abort.aborted) {
    const skipped = skippedPath(path, parent.pathNames, abort.reason);
    walk.emit({ type: 'path-finished', journey: walk.journey.name, path: skipped });
    return skipped;
  }
  const pathNames = [...parent.pathNames, path.name];
  const timing = { startedAt: new Date().toISOString(), began: performance.now() };
  let clone: PathDatabase | undefined;
  let instance: TargetInstance | undefined;
  let items: ItemResult[];
  let error: ErrorInfo | undefined;
  try {
    const cloneStarted = performance.now();
    [clone] = await database.clone(branch.checkpointName, 1);
    if (!clone) throw new Error(`no clone of '${branch.checkpointName}' was made`);
    walk.log(
      `Rolled back to checkpoint: ${checkpointSavepointName(branch.checkpointName)} for ${pathNames.join('/')} (clone ${clone.database}, ${elapsed(cloneStarted)})`,
    );
    instance = await walk.target.acquire(clone.url, {
      label: walk.label(pathNames),
      signal: abort.signal,
    });
    const line: JourneyLine = {
      client: walk.newClient(instance.baseUrl, parent.client.headers),
      ctx: parent.ctx.copy(),
      instance,
      database: clone,
      pathNames,
      clones: [clone],
    };
    items = await running(() => walk.sequence(path.steps, line));
  } catch (caught) {
    error = toErrorInfo(caught);
    items = skippedItems(path.steps, 'the path could not start', pathNames);
  }
  const result = pathResult(path, pathNames, timing, items, error, abort.reason);
  if (error !== undefined && abort.aborted) {
    result.status = 'skipped';
    result.skipReason = abort.reason;
    delete result.error;
  }
  if (result.status === 'failed') abort.noteFailure();
  const keep = result.status === 'failed' && walk.settings.keepFailed && clone !== undefined;
  if (keep) result.keptDatabase = clone?.database;
  const [api, ownClone] = [instance, clone];
  defer(
    (async () => {
      try {
        await api?.release();
      } catch (releaseError) {
        debug('releasing the API of %s: %o', path.name, releaseError);
      } finally {
        if (keep) await ownClone?.keep(walk.label(pathNames));
        else await ownClone?.drop();
      }
    })(),
  );
  walk.emit({ type: 'path-finished', journey: walk.journey.name, path: result });
  return result;
}
