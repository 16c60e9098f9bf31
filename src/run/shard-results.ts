import type { JourneyNode, PathNode } from '../journey/journey-nodes.js';
import type { ItemResult, JourneyResult, PathResult } from '../result/run-result.js';
import { skippedItems, skippedPath } from '../runner/path-results.js';
import type { PartInfo } from './shard-plan.js';

interface ShardRules {
  owns: (path?: PathNode) => boolean;
  /** The skip reason of paths owned elsewhere. */
  reason: string;
  /** Whether this shard's main-line results are the ones a merged report keeps. */
  here: boolean;
}

/**
 * A shard's result of one journey, with every path of the journey in it: the paths that ran
 * here as they ran, the others skipped and marked `inAnotherShard` at their place in the tree.
 * The statuses the run computed are kept (a journey whose paths here all passed passed here);
 * a branch none of whose paths ran here is skipped. Without a result (nothing of the journey
 * is here) the whole journey is skipped.
 */
export function finishShardPart(
  journey: JourneyNode,
  result: JourneyResult | undefined,
  info: PartInfo,
  rules: ShardRules,
): JourneyResult {
  if (!result) {
    const items = markOtherShards(skippedItems(journey.steps, rules.reason, []));
    return {
      name: journey.name,
      status: 'skipped',
      durationMs: 0,
      items,
      apiMode: info.apiMode,
      parallelPaths: info.parallelPaths,
      ...(info.file === undefined ? {} : { file: info.file }),
      shard: { mainLine: rules.here },
    };
  }
  const items = result.items.map((item, index): ItemResult => {
    const node = journey.steps[index];
    if (item.kind !== 'branch' || node?.kind !== 'branch') return item;
    const ran = [...item.paths];
    const paths = node.paths.map((path): PathResult => {
      if (rules.owns(path)) return ran.shift() ?? skippedPath(path, [], 'did not run');
      return { ...skippedPath(path, [], rules.reason), inAnotherShard: true };
    });
    const ranHere = node.paths.some((path) => rules.owns(path));
    return { ...item, paths, ...(ranHere || item.error ? {} : { status: 'skipped' }) };
  });
  return { ...result, items, shard: { mainLine: rules.here } };
}

/** The main-line paths of skipped items, marked as belonging to other shards. */
function markOtherShards(items: ItemResult[]): ItemResult[] {
  return items.map((item) =>
    item.kind === 'branch'
      ? { ...item, paths: item.paths.map((path) => ({ ...path, inAnotherShard: true })) }
      : item,
  );
}
