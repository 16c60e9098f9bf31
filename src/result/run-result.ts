import type { HttpExchange } from '../http/exchange.js';
import type { StateDiff } from './state-diff.js';

/**
 * The result tree `JourneyRunner.run` returns and every report is written from. Plain data
 * (JSON-serialisable, no class instances), so the JSON report is this tree as it is.
 */

/** `skipped`: not run, because fail_fast stopped the run or an earlier item failed. */
export type ResultStatus = 'passed' | 'failed' | 'skipped';

export interface ErrorInfo {
  message: string;
  /** A venomqa error code (`VENOMQA_HTTP_REQUEST_FAILED`) when there is one. */
  code?: string;
  /** The error's class name (`AssertionError`, `HttpRequestError`). */
  name?: string;
  /** What to do about it, when the error says (a venomqa error's `hint`). */
  hint?: string;
  stack?: string;
}

interface Timed {
  status: ResultStatus;
  /** ISO 8601; absent for skipped items. */
  startedAt?: string;
  durationMs: number;
}

/** A line of a journey module (where a step was written), for CI annotations. */
export interface SourceLocation {
  file: string;
  /** Absent when the stack trace could not say (a CommonJS-mode `.ts` module run by tsx). */
  line?: number;
  column?: number;
}

export interface StepResult extends Timed {
  kind: 'step';
  name: string;
  /** Where the step was written: the call of `Step()`, in the journey's own module if it can. */
  location?: SourceLocation;
  /** Every request the step's action made, in order. */
  exchanges: HttpExchange[];
  error?: ErrorInfo;
  /** The last `log_lines` lines of the path's API, attached when the step failed. */
  logs?: string[];
}

export interface CheckpointResult extends Timed {
  kind: 'checkpoint';
  name: string;
  error?: ErrorInfo;
}

export interface BranchResult extends Timed {
  kind: 'branch';
  checkpointName: string;
  paths: PathResult[];
  /** Forking the checkpoint or starting targets failed before any path could run. */
  error?: ErrorInfo;
  /** With API slots: the slot the line came back on after its paths, when it went on. */
  resumeSlot?: PathSlotInfo;
}

export type ItemResult = StepResult | CheckpointResult | BranchResult;

export interface PathResult extends Timed {
  name: string;
  /** Unique within the journey: checkpoint and path names from the root, `order/pay_by_card`. */
  qualifiedName: string;
  items: ItemResult[];
  /** A failure of the path itself rather than of a step (its API did not start, …). */
  error?: ErrorInfo;
  /** Why the path was skipped. */
  skipReason?: string;
  /** The clone the path ran on, when it was kept after a failure (`keep_failed`). */
  keptDatabase?: string;
  /** With API slots (`api.reuse`): the slot it ran on and what getting there cost. */
  slot?: PathSlotInfo;
  /** Why the path ran twice: its API died during the first attempt. */
  retried?: string;
  /** What the path's own steps changed in its database (`report.diff`). */
  stateDiff?: StateDiff;
  /** In a sharded run (`--shard`): the path (with its nested paths) runs in another shard. */
  inAnotherShard?: boolean;
}

/** How a path got onto its API slot, for reports and the timeline. */
export interface PathSlotInfo {
  /** The slot, 1 to `parallel_paths`. */
  id: number;
  /** Waiting for a free slot. */
  waitMs: number;
  /** Getting the checkpoint's clone (near 0 when one was made ahead). */
  cloneMs: number;
  /** Swapping the clone in under the slot's database name. */
  swapMs: number;
  /** How long the slot's database refused connections during the swap. */
  unavailableMs: number;
  /** The slot's running API answering its health URL again after the swap. */
  healthMs: number;
  /** The API was started for this path (the slot's first use, or a restart), taking this long. */
  apiStartMs?: number;
  /** Why the slot's API was started again before this path. */
  restartReason?: string;
}

/** Per API slot: how often its API started, and every swap under it. */
export interface SlotStats {
  id: number;
  apiStarts: number;
  swaps: number;
  /** For each swap, how long the slot's database refused connections. */
  swapUnavailableMs: number[];
}

export interface JourneyResult extends Timed {
  name: string;
  /** Journey module the journey came from, when it was loaded from a file. */
  file?: string;
  items: ItemResult[];
  error?: ErrorInfo;
  /** How the API ran (`shared`, `process`, `docker`) and how many paths ran at once. */
  apiMode: string;
  parallelPaths: number;
  /** Whether one API per slot served many paths (`api.reuse`), or one API per path. */
  apiReuse?: boolean;
  /** The API slots' counters, when this journey had slots of its own. */
  slots?: SlotStats[];
  /** With API slots: the slot the main line started on. */
  slot?: PathSlotInfo;
  /**
   * In a sharded run: `mainLine` is true in the one shard whose results of the journey's main
   * line (its steps and checkpoints outside branches) a merged report keeps.
   */
  shard?: { mainLine: boolean };
}

export interface RunResult {
  startedAt: string;
  durationMs: number;
  journeys: JourneyResult[];
  /** Counts of journeys by status. */
  passed: number;
  failed: number;
  /** The run's API slots' counters (`api.reuse`), shared by its journeys. */
  slots?: SlotStats[];
  /** The setup phase (`setup.command`), when one is configured. */
  setup?: SetupResult;
  /** `--shard i/n`: which shard of the paths this run ran (absent for a whole run). */
  shard?: { index: number; total: number };
  /** A report merged from shards (`venomqa merge-reports`): how many shard reports it holds. */
  mergedShards?: number;
  /**
   * The run was stopped (Ctrl-C): `journeys` holds the finished ones, the one stopped part-way
   * (its unfinished items skipped) and the ones never started (skipped).
   */
  interrupted?: boolean;
}

/** What the setup phase did. */
export interface SetupResult {
  /** True when a template made by an earlier run with the same inputs was used. */
  cached: boolean;
  /** The cache key (hash of command, env and inputs). */
  key: string;
  /** The template every journey's database is cloned from (physical name). */
  template: string;
  /** The whole setup phase: hashing inputs, and running the command when not cached. */
  durationMs: number;
}
