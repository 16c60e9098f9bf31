import type { JourneyItem } from '../journey/journey-nodes.js';
import type { ItemResult } from '../result/run-result.js';

/**
 * The result of an item that did not run, with its subtree (so reports show the whole tree).
 * `pathNames` is the path names from the root down to the item's line, for qualified names.
 */
export function skippedItem(
  item: JourneyItem,
  reason: string,
  pathNames: readonly string[],
): ItemResult {
  switch (item.kind) {
    case 'step':
      return {
        kind: 'step',
        name: item.name,
        status: 'skipped',
        durationMs: 0,
        exchanges: [],
        error: { message: reason },
      };
    case 'checkpoint':
      return { kind: 'checkpoint', name: item.name, status: 'skipped', durationMs: 0 };
    case 'branch':
      return {
        kind: 'branch',
        checkpointName: item.checkpointName,
        status: 'skipped',
        durationMs: 0,
        paths: item.paths.map((path) => ({
          name: path.name,
          qualifiedName: [...pathNames, path.name].join('/'),
          status: 'skipped',
          durationMs: 0,
          items: path.steps.map((child) => skippedItem(child, reason, [...pathNames, path.name])),
          skipReason: reason,
        })),
      };
  }
}
