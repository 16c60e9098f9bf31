import createDebug from 'debug';
import type { BranchNode } from '../journey/journey-nodes.js';
import { isForkableStateManager } from '../state/state-manager.js';
import { toErrorInfo } from './error-info.js';
import type { JourneyWalk } from './journey-walk.js';
import type { JourneyLine } from './journey-line.js';
import { pathResult, skippedItems, skippedPath } from './path-results.js';
import type { ErrorInfo, ItemResult, PathResult } from '../result/run-result.js';

const debug = createDebug('venomqa:runner');

/**
 * One shared API: restore the checkpoint in place, run the path, one path at a time. The line
 * is then put back to its state just before the branch (which may be past the checkpoint), as
 * it is untouched when paths run on clones. SAVEPOINT backends cannot hold a newer checkpoint
 * across a rollback to an older one: there the line goes on from the checkpoint.
 */
export async function branchInPlace(
  walk: JourneyWalk,
  branch: BranchNode,
  line: JourneyLine,
): Promise<PathResult[]> {
  const state = walk.state;
  if (!state) throw new Error('a branch needs a state manager');
  const before = isForkableStateManager(state)
    ? walk.implicitCheckpoint('before_branch')
    : undefined;
  if (before) await state.checkpoint(before);
  const results: PathResult[] = [];
  try {
    let unusable: string | undefined;
    for (const path of branch.paths) {
      if (unusable === undefined && walk.abort.aborted) unusable = walk.abort.reason;
      if (unusable !== undefined) {
        results.push(skippedPath(path, line.pathNames, unusable));
        walk.emit({
          type: 'path-finished',
          journey: walk.journey.name,
          path: results.at(-1) as PathResult,
        });
        continue;
      }
      const pathNames = [...line.pathNames, path.name];
      const timing = { startedAt: new Date().toISOString(), began: performance.now() };
      let items: ItemResult[];
      let error: ErrorInfo | undefined;
      const pathLine: JourneyLine = {
        ...line,
        client: walk.newClient(line.instance.baseUrl, line.client.headers),
        ctx: line.ctx.copy(),
        pathNames,
        startedFrom: branch.checkpointName,
      };
      try {
        await state.rollback(branch.checkpointName);
        items = await walk.sequence(path.steps, pathLine);
      } catch (caught) {
        // The database is in an unknown state: no later path may run on it.
        error = toErrorInfo(caught);
        unusable = `restoring '${branch.checkpointName}' failed before '${path.name}'`;
        items = skippedItems(path.steps, unusable, pathNames);
      }
      const result = pathResult(path, pathNames, timing, items, error, walk.abort.reason);
      if (result.status === 'failed') walk.abort.noteFailure();
      // Before the next path's rollback replaces what this one wrote.
      await walk.diffs.pathDone(result, branch.checkpointName, pathLine);
      walk.emit({ type: 'path-finished', journey: walk.journey.name, path: result });
      results.push(result);
    }
    await state.rollback(before ?? branch.checkpointName);
  } finally {
    if (before) {
      await state.release(before).catch((e: unknown) => debug('releasing %s: %o', before, e));
    }
  }
  return results;
}
