import type { HttpExchange } from '../http/exchange.js';

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
  stack?: string;
}

interface Timed {
  status: ResultStatus;
  /** ISO 8601; absent for skipped items. */
  startedAt?: string;
  durationMs: number;
}

export interface StepResult extends Timed {
  kind: 'step';
  name: string;
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
}

export interface RunResult {
  startedAt: string;
  durationMs: number;
  journeys: JourneyResult[];
  /** Counts of journeys by status. */
  passed: number;
  failed: number;
}
