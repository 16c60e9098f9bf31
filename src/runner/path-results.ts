import type { JourneyItem, PathNode } from '../journey/journey-nodes.js';
import type { ErrorInfo, ItemResult, PathResult, ResultStatus } from '../result/run-result.js';
import { skippedItem } from './skipped-items.js';

/**
 * The status of a line from its items: failed when one failed; skipped when one did not run
 * (stopped by fail_fast or Ctrl-C) although none failed; else passed.
 */
export function aggregateStatus(items: readonly { status: ResultStatus }[]): ResultStatus {
  if (items.some((item) => item.status === 'failed')) return 'failed';
  if (items.some((item) => item.status === 'skipped')) return 'skipped';
  return 'passed';
}

/** A result's name in "… failed before it" reasons. */
export function itemName(result: ItemResult): string {
  return result.kind === 'branch' ? `branch from ${result.checkpointName}` : result.name;
}

/** A path that ran (or could not start): status from its items unless it has an error. */
export function pathResult(
  path: PathNode,
  pathNames: readonly string[],
  timing: { startedAt: string; began: number },
  items: ItemResult[],
  error: ErrorInfo | undefined,
  skipReason: string,
): PathResult {
  const status = error !== undefined ? 'failed' : aggregateStatus(items);
  return {
    name: path.name,
    qualifiedName: pathNames.join('/'),
    status,
    startedAt: timing.startedAt,
    durationMs: performance.now() - timing.began,
    items,
    ...(error ? { error } : {}),
    ...(status === 'skipped' ? { skipReason } : {}),
  };
}

/** A path that never ran, with its subtree. */
export function skippedPath(
  path: PathNode,
  parentPathNames: readonly string[],
  reason: string,
): PathResult {
  const pathNames = [...parentPathNames, path.name];
  return {
    name: path.name,
    qualifiedName: pathNames.join('/'),
    status: 'skipped',
    durationMs: 0,
    items: path.steps.map((item) => skippedItem(item, reason, pathNames)),
    skipReason: reason,
  };
}

/** Every item of a line that could not start, skipped with `reason`. */
export function skippedItems(
  items: readonly JourneyItem[],
  reason: string,
  pathNames: readonly string[],
): ItemResult[] {
  return items.map((item) => skippedItem(item, reason, pathNames));
}
