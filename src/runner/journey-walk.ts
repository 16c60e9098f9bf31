import type { Target } from '../api/target.js';
import { HttpClient } from '../http/http-client.js';
import type {
  BranchNode,
  CheckpointNode,
  JourneyItem,
  JourneyNode,
} from '../journey/journey-nodes.js';
import { checkpointSavepointName } from '../state/checkpoint-name.js';
import type { StateManager } from '../state/state-manager.js';
import type { ApiSlots } from './api-slots.js';
import { branchInPlace } from './branch-in-place.js';
import { branchOnSlots, type BranchOutcome } from './branch-on-slots.js';
import { branchPerPath } from './branch-per-path.js';
import { toErrorInfo } from './error-info.js';
import type { JourneyLine } from './journey-line.js';
import { aggregateStatus, itemName, skippedPath } from './path-results.js';
import type {
  BranchResult,
  CheckpointResult,
  ItemResult,
  PathResult,
} from '../result/run-result.js';
import type { RunAbort } from './run-abort.js';
import { runStep } from './run-step.js';
import type { RunnerSettings } from './runner-settings.js';
import type { RunnerEvent } from './runner-events.js';
import { skippedItem } from './skipped-items.js';
import { PathDiffs } from './path-diffs.js';
import type { StateDiffHook } from './state-diff-hook.js';

/** How the paths of a branch get an API and a database. */
export type BranchMode = 'slots' | 'per-path' | 'in-place';

export interface JourneyWalkOptions {
  journey: JourneyNode;
  settings: RunnerSettings;
  abort: RunAbort;
  target: Target;
  state: StateManager | undefined;
  slots: ApiSlots | undefined;
  mode: BranchMode;
  emit: (event: RunnerEvent) => void;
  /** `report.diff`: told about checkpoints and finished paths. */
  stateDiff?: StateDiffHook | undefined;
}

/**
 * The walk over one journey's tree: items in order, a failed step or checkpoint skipping the
 * rest of its line, and each branch handed to the strategy of the run's mode. Branch strategies
 * call back into `sequence` for their paths' lines.
 */
export class JourneyWalk {
  readonly journey: JourneyNode;
  readonly settings: RunnerSettings;
  readonly abort: RunAbort;
  readonly target: Target;
  readonly state: StateManager | undefined;
  readonly slots: ApiSlots | undefined;
  readonly mode: BranchMode;
  /** The state diffs of paths (`report.diff`). */
  readonly diffs: PathDiffs;
  readonly #emit: (event: RunnerEvent) => void;
  /** Numbers implicit checkpoints (a line's state kept across its branch). */
  #implicit = 0;

  constructor(options: JourneyWalkOptions) {
    this.journey = options.journey;
    this.settings = options.settings;
    this.abort = options.abort;
    this.target = options.target;
    this.state = options.state;
    this.slots = options.slots;
    this.mode = options.mode;
    this.#emit = options.emit;
    this.diffs = new PathDiffs({
      hook: options.stateDiff,
      journey: options.journey,
      state: options.state,
      log: (line) => this.log(line),
    });
  }

  /**
   * Run items in order. After a failed step or checkpoint the rest of the sequence is skipped
   * (later steps depend on earlier ones); a failed path does not stop its parent's sequence,
   * since paths write only to their own databases, unless fail_fast is on.
   */
  async sequence(items: readonly JourneyItem[], line: JourneyLine): Promise<ItemResult[]> {
    const results: ItemResult[] = [];
    let stopReason: string | undefined;
    for (const [index, item] of items.entries()) {
      if (stopReason === undefined && this.abort.aborted) stopReason = this.abort.reason;
      if (stopReason !== undefined) {
        results.push(skippedItem(item, stopReason, line.pathNames));
        continue;
      }
      const result = await this.#item(item, line, items.slice(index + 1));
      results.push(result);
      if (result.status === 'failed' && (result.kind !== 'branch' || result.error)) {
        stopReason = `'${itemName(result)}' failed before it`;
      }
    }
    return results;
  }

  /** A client for a line, starting from the given headers (an auth token carries over). */
  newClient(baseUrl: string, headers: Record<string, string>): HttpClient {
    return new HttpClient({
      baseUrl,
      timeoutMs: this.settings.timeoutMs,
      headers,
      signal: this.abort.signal,
    });
  }

  emit(event: RunnerEvent): void {
    this.#emit(event);
  }

  /** A verbose line about a database operation, in VenomQA's words (`Created checkpoint: …`). */
  log(line: string): void {
    if (this.settings.verbose) this.#emit({ type: 'state', journey: this.journey.name, line });
  }

  /** A checkpoint name for the runner's own use, unique in this journey. */
  implicitCheckpoint(purpose: string): string {
    this.#implicit += 1;
    return `vqa_${purpose}_${this.#implicit}`;
  }

  /** The path's qualified label, `journey/path/nested`. */
  label(pathNames: readonly string[]): string {
    return [this.journey.name, ...pathNames].join('/');
  }

  skippedPaths(branch: BranchNode, line: JourneyLine, reason: string): PathResult[] {
    return branch.paths.map((path) => {
      const result = skippedPath(path, line.pathNames, reason);
      this.emit({ type: 'path-finished', journey: this.journey.name, path: result });
      return result;
    });
  }

  #item(item: JourneyItem, line: JourneyLine, rest: readonly JourneyItem[]): Promise<ItemResult> {
    switch (item.kind) {
      case 'step':
        return runStep(item, line, this.abort, {
          lines: this.settings.captureLogs ? this.settings.logLines : 0,
          journeyFile: this.journey.callSite?.file,
        });
      case 'checkpoint':
        return this.#checkpoint(item, line, rest);
      case 'branch':
        return this.#branch(item, line, rest);
    }
  }

  async #checkpoint(
    checkpoint: CheckpointNode,
    line: JourneyLine,
    rest: readonly JourneyItem[],
  ): Promise<CheckpointResult> {
    const startedAt = new Date().toISOString();
    const began = performance.now();
    let error: CheckpointResult['error'];
    try {
      if (line.database) {
        await line.database.checkpoint(checkpoint.name);
        this.log(
          `Created checkpoint: ${checkpointSavepointName(checkpoint.name)} (copy of ${line.database.database}, ${elapsed(began)})`,
        );
        // Clones for the branches ahead start now, while the line goes on: as many at a time
        // as paths can be alive at once, refilled as paths take them.
        const ahead = pathsBranchingFrom(checkpoint.name, rest);
        if (ahead > 0) {
          line.database.prewarm(checkpoint.name, ahead, 2 * this.settings.parallelPaths);
        }
      } else {
        // Shared mode: the state manager logs its own verbose lines.
        await this.#requireState().checkpoint(checkpoint.name);
      }
      await this.diffs.checkpointTaken(checkpoint.name, line);
    } catch (caught) {
      this.abort.noteFailure();
      error = toErrorInfo(caught);
    }
    return {
      kind: 'checkpoint',
      name: checkpoint.name,
      status: error === undefined ? 'passed' : 'failed',
      startedAt,
      durationMs: performance.now() - began,
      ...(error === undefined ? {} : { error }),
    };
  }

  async #branch(
    branch: BranchNode,
    line: JourneyLine,
    rest: readonly JourneyItem[],
  ): Promise<BranchResult> {
    const startedAt = new Date().toISOString();
    const began = performance.now();
    let paths: PathResult[];
    let error: BranchResult['error'];
    let resumeSlot: BranchResult['resumeSlot'];
    try {
      const outcome: BranchOutcome =
        this.mode === 'slots'
          ? await branchOnSlots(this, branch, line, rest.length > 0)
          : {
              paths:
                this.mode === 'per-path'
                  ? await branchPerPath(this, branch, line)
                  : await branchInPlace(this, branch, line),
            };
      paths = outcome.paths;
      error = outcome.error;
      resumeSlot = outcome.resumeSlot;
      if (error) this.abort.noteFailure();
    } catch (caught) {
      this.abort.noteFailure();
      error = toErrorInfo(caught);
      paths = this.skippedPaths(branch, line, 'the branch could not start');
    }
    return {
      kind: 'branch',
      checkpointName: branch.checkpointName,
      status: error !== undefined ? 'failed' : aggregateStatus(paths),
      startedAt,
      durationMs: performance.now() - began,
      paths,
      ...(error ? { error } : {}),
      ...(resumeSlot ? { resumeSlot } : {}),
    };
  }

  #requireState(): StateManager {
    if (!this.state) throw new Error('this journey needs a state manager');
    return this.state;
  }
}

/** How many paths of later branches (in this sequence) start from `checkpoint`. */
function pathsBranchingFrom(checkpoint: string, rest: readonly JourneyItem[]): number {
  return rest
    .filter((item): item is BranchNode => item.kind === 'branch')
    .filter((branch) => branch.checkpointName === checkpoint)
    .reduce((sum, branch) => sum + branch.paths.length, 0);
}

/** `123 ms` since `began`. */
export function elapsed(began: number): string {
  return `${Math.round(performance.now() - began)} ms`;
}
