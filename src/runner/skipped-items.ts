import type { JourneyItem } from '../journey/journey-nodes.js';
import type { ItemResult } from './result.js';

/** The result of an item that did not run, with its subtree (so reports show the whole tree). */
export function skippedItem(item: JourneyItem, reason: string): ItemResult {
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
        // Nested paths get qualified names relative to the branch; reports show them indented.
        paths: item.paths.map((path) => ({
          name: path.name,
          qualifiedName: path.name,
          status: 'skipped',
          durationMs: 0,
          items: path.steps.map((child) => skippedItem(child, reason)),
          skipReason: reason,
        })),
      };
  }
}
