import createDebug from 'debug';
import type { BranchNode, PathNode } from '../journey/journey-nodes.js';
import type { BranchableDatabase } from '../state/branchable-database.js';
import { checkpointSavepointName } from '../state/checkpoint-name.js';
import type { ApiSlots, Slot } from './api-slots.js';
import { toErrorInfo } from './error-info.js';
import type { JourneyWalk } from './journey-walk.js';
import type { JourneyLine } from './journey-line.js';
import { pathResult, skippedItems, skippedPath } from './path-results.js';
import type { ErrorInfo, ItemResult, PathResult, PathSlotInfo } from '../result/run-result.js';

const debug = createDebug('venomqa:runner');

/** What a branch strategy gives back: its paths, and an error of the branch itself. */
export interface BranchOutcome {
  paths: PathResult[];
  error?: ErrorInfo;
}

/**
 * `api.reuse: true`: the branch's paths run on the run's API slots. The line gives its slot up
 * while its paths run (so a nested branch cannot starve itself of slots), each path takes a
 * free slot and gets its checkpoint swapped in under the slot's running API, and when the line
 * goes on after the branch it takes a slot again with its own state swapped back in (kept as
 * an implicit checkpoint just before the branch).
 */
export async function branchOnSlots(
  walk: JourneyWalk,
  branch: BranchNode,
  line: JourneyLine,
  lineGoesOn: boolean,
): Promise<BranchOutcome> {
  const slots = requireSlots(walk);
  const database = line.database;
  if (!database) throw new Error('a branch on API slots needs a database to clone');
  const resume = lineGoesOn ? walk.implicitCheckpoint('resume') : undefined;
  if (resume) {
    await database.checkpoint(resume);
    database.prewarm(resume, 1);
  }
  if (line.slot) slots.release(line.slot);
  line.slot = undefined;
  const paths = await Promise.all(
    branch.paths.map((path) => pathOnSlot(walk, slots, path, branch, line, database)),
  );
  if (!resume) return { paths };
  try {
    await enterSlot(walk, slots, line, database, resume);
    return { paths };
  } catch (caught) {
    // Stopped by fail_fast or Ctrl-C (the slot wait is aborted): the rest of the line is
    // skipped for that reason, and the branch itself did not fail.
    if (walk.abort.aborted) return { paths };
    return { paths, error: toErrorInfo(caught) };
  }
}

/**
 * Put `line` on a slot (`slot`, else the next free one) with a clone of `checkpoint` swapped in
 * under the slot's API; the line's client, instance and database follow.
 */
export async function enterSlot(
  walk: JourneyWalk,
  slots: ApiSlots,
  line: JourneyLine,
  from: BranchableDatabase,
  checkpoint: string,
  slot?: Slot,
): Promise<PathSlotInfo> {
  const label = walk.label(line.pathNames);
  const waitStarted = performance.now();
  line.slot = slot ?? (await slots.acquire(label, walk.abort.signal));
  const waitMs = performance.now() - waitStarted;
  const cloneStarted = performance.now();
  const [clone] = await from.clone(checkpoint, 1);
  if (!clone) throw new Error(`no clone of '${checkpoint}' was made`);
  const cloneMs = performance.now() - cloneStarted;
  line.clones.push(clone);
  line.database = clone;
  const load = await slots.load(line.slot, clone, label, walk.abort.signal);
  const instance = line.slot.instance;
  if (!instance) throw new Error(`slot ${line.slot.id} has no API after loading`);
  line.instance = instance;
  line.client = walk.newClient(instance.baseUrl, line.client.headers);
  walk.log(
    `Rolled back to checkpoint: ${checkpointSavepointName(checkpoint)} for ${label} (slot ${load.slot}, ${clone.database}: swap ${Math.round(load.swapMs)} ms, unavailable ${Math.round(load.unavailableMs)} ms${load.apiStartMs === undefined ? '' : `, API started in ${Math.round(load.apiStartMs)} ms`})`,
  );
  return {
    id: load.slot,
    waitMs,
    cloneMs,
    swapMs: load.swapMs,
    unavailableMs: load.unavailableMs,
    healthMs: load.healthMs,
    ...(load.apiStartMs === undefined ? {} : { apiStartMs: load.apiStartMs }),
    ...(load.restartReason === undefined ? {} : { restartReason: load.restartReason }),
  };
}

/**
 * Give up everything a line holds: its slot back to the others, its clones dropped (their
 * checkpoints; a clone under a slot's name stays for the slot's next path to replace). With
 * `keep`, the content of the slot the line is still on is moved out first and its name
 * returned (a line that gave its slot up has nothing of its own left to keep).
 */
export async function leaveSlot(
  slots: ApiSlots,
  line: JourneyLine,
  keep = false,
  label?: string,
): Promise<string | undefined> {
  let kept: string | undefined;
  const current = line.clones.at(-1);
  try {
    if (keep && line.slot && current) kept = await current.keep(label);
  } finally {
    if (line.slot) slots.release(line.slot);
    line.slot = undefined;
    const rest = line.clones.splice(0).filter((clone) => !(kept && clone === current));
    await Promise.allSettled(rest.map((clone) => clone.drop()));
  }
  return kept;
}

/**
 * One path on a slot. If its API died while the path ran (a crash, OOM), the API is started
 * again on the same slot and the path retried once from its checkpoint; the result says so.
 */
async function pathOnSlot(
  walk: JourneyWalk,
  slots: ApiSlots,
  path: PathNode,
  branch: BranchNode,
  parent: JourneyLine,
  database: BranchableDatabase,
): Promise<PathResult> {
  const { abort } = walk;
  if (abort.aborted) {
    const skipped = skippedPath(path, parent.pathNames, abort.reason);
    walk.emit({ type: 'path-finished', journey: walk.journey.name, path: skipped });
    return skipped;
  }
  const pathNames = [...parent.pathNames, path.name];
  const timing = { startedAt: new Date().toISOString(), began: performance.now() };
  let retried: string | undefined;
  let retrySlot: Slot | undefined;
  for (;;) {
    const line: JourneyLine = {
      client: parent.client,
      ctx: parent.ctx.copy(),
      instance: parent.instance,
      database: undefined,
      pathNames,
      clones: [],
    };
    let items: ItemResult[];
    let error: ErrorInfo | undefined;
    let slotInfo: PathSlotInfo | undefined;
    try {
      slotInfo = await enterSlot(walk, slots, line, database, branch.checkpointName, retrySlot);
      items = await walk.sequence(path.steps, line);
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
    const gone = line.slot?.instance ? await line.slot.instance.stopped?.() : undefined;
    if (result.status === 'failed' && gone !== undefined && retried === undefined && line.slot) {
      retried = `the API ${gone} during the path; it was started again and the path retried once`;
      debug('%s: %s', walk.label(pathNames), retried);
      retrySlot = line.slot;
      await slots.stopApi(retrySlot);
      line.slot = undefined; // kept for the retry, not released
      await leaveSlot(slots, line);
      continue;
    }
    if (slotInfo) result.slot = slotInfo;
    if (retried) result.retried = retried;
    if (result.status === 'failed') abort.noteFailure();
    const keep = result.status === 'failed' && walk.settings.keepFailed;
    try {
      const kept = await leaveSlot(slots, line, keep, walk.label(pathNames));
      if (kept) result.keptDatabase = kept;
    } catch (cleanupError) {
      debug('leaving the slot of %s: %o', walk.label(pathNames), cleanupError);
    }
    walk.emit({ type: 'path-finished', journey: walk.journey.name, path: result });
    return result;
  }
}

function requireSlots(walk: JourneyWalk): ApiSlots {
  if (!walk.slots) throw new Error('API slots are not set up for this run');
  return walk.slots;
}
