import type { RunResult } from '../result/run-result.js';
import { unitKey } from './shard-plan.js';

/**
 * How long each shard unit took in an earlier run (its JSON report, whole or merged), to
 * balance shards by time instead of by count: a main-line path with its nested paths, or a
 * journey without branches. Units that did not run there (skipped, another shard) are left
 * out, so a new or skipped unit counts as a typical one.
 *
 * @example
 * ```ts
 * const plan = new ShardPlan({ index: 2, total: 4 }, journeys, shardDurations(lastReport));
 * ```
 */
export function shardDurations(report: RunResult): Map<string, number> {
  const durations = new Map<string, number>();
  for (const journey of report.journeys) {
    const branches = journey.items.filter((item) => item.kind === 'branch');
    if (branches.length === 0) {
      if (journey.status !== 'skipped') durations.set(unitKey(journey.name), journey.durationMs);
      continue;
    }
    for (const path of branches.flatMap((branch) => branch.paths)) {
      if (path.status === 'skipped' || path.inAnotherShard) continue;
      durations.set(unitKey(journey.name, path.name), path.durationMs);
    }
  }
  return durations;
}
