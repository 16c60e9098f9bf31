import createDebug from 'debug';
import type { TargetInstance } from '../api/target.js';
import { JourneyContext } from '../journey/journey-context.js';
import type { JourneyItem } from '../journey/journey-nodes.js';
import type { ItemResult, PathSlotInfo } from '../result/run-result.js';
import type { BranchableDatabase } from '../state/branchable-database.js';
import type { ApiSlots, Slot } from './api-slots.js';
import { enterSlot, leaveSlot } from './branch-on-slots.js';
import type { JourneyLine } from './journey-line.js';
import type { JourneyWalk } from './journey-walk.js';

const debug = createDebug('venomqa:runner');

/** Implicit checkpoint of the working database, where the main line starts on a slot. */
const JOURNEY_START = 'vqa_journey_start';

/** Stands in for a line's API until the line is on a slot; never sent a request. */
const NOT_ON_A_SLOT: TargetInstance = {
  baseUrl: 'http://127.0.0.1:9',
  logs: () => Promise.resolve([]),
  release: () => Promise.resolve(),
};

/**
 * Shared and per-path modes: the journey's main line on one API bound to the working database
 * (`database`; none for a shared API, which has its own).
 */
export async function mainLine(
  walk: JourneyWalk,
  database: BranchableDatabase | undefined,
  headers: Record<string, string>,
): Promise<ItemResult[]> {
  const instance = await walk.target.acquire(database?.url ?? '', {
    label: walk.journey.name,
    signal: walk.abort.signal,
  });
  try {
    const line: JourneyLine = {
      client: walk.newClient(instance.baseUrl, headers),
      ctx: new JourneyContext(),
      instance,
      database,
      pathNames: [],
      clones: [],
    };
    return await walk.sequence(walk.journey.steps, line);
  } finally {
    await instance.release();
  }
}

/**
 * Slot mode: the main line takes a slot too, starting from the working database's state (an
 * implicit checkpoint of it), and while it runs its steps the other slots' APIs start, as many
 * as the journey's paths can keep busy. Where it started is put in `started`, for the timeline.
 */
export async function mainLineOnSlot(
  walk: JourneyWalk,
  working: BranchableDatabase,
  headers: Record<string, string>,
  started: { info?: PathSlotInfo },
): Promise<ItemResult[]> {
  const slots = walk.slots;
  const state = walk.state;
  if (!slots || !state) throw new Error('slot mode needs API slots and a state manager');
  await working.checkpoint(JOURNEY_START);
  // Client and instance are the slot's once enterSlot has put the line on one.
  const line: JourneyLine = {
    client: walk.newClient(NOT_ON_A_SLOT.baseUrl, headers),
    ctx: new JourneyContext(),
    instance: NOT_ON_A_SLOT,
    database: undefined,
    pathNames: [],
    clones: [],
  };
  try {
    started.info = await enterSlot(walk, slots, line, working, JOURNEY_START);
    const busy = Math.min(walk.settings.parallelPaths, countPaths(walk.journey.steps));
    slots.warm(busy, (slot) => warmSlot(slots, slot, working, walk));
    return await walk.sequence(walk.journey.steps, line);
  } finally {
    await leaveSlot(slots, line).catch((e: unknown) => debug('leaving the slot: %o', e));
    await state.release(JOURNEY_START).catch((e: unknown) => debug('release: %o', e));
  }
}

/** How many paths the journey's branches hold, nested ones included. */
function countPaths(items: readonly JourneyItem[]): number {
  return items.reduce(
    (sum, item) =>
      item.kind === 'branch'
        ? sum + item.paths.reduce((n, path) => n + 1 + countPaths(path.steps), 0)
        : sum,
    0,
  );
}

/** A slot's first database (the journey's start) and its API, started ahead of its first path. */
async function warmSlot(
  slots: ApiSlots,
  slot: Slot,
  working: BranchableDatabase,
  walk: JourneyWalk,
): Promise<void> {
  const [clone] = await working.clone(JOURNEY_START, 1);
  if (!clone) return;
  try {
    await slots.load(slot, clone, `${walk.journey.name} (warming up)`, walk.abort.signal);
  } finally {
    // The content now belongs to the slot; this drops only the handle's checkpoints.
    await clone.drop();
  }
}
