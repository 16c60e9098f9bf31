import createDebug from 'debug';
import pLimit, { type LimitFunction } from 'p-limit';
import type { ResolvedConfig } from '../config/schema.js';
import { HttpClient } from '../http/http-client.js';
import { JourneyContext } from '../journey/journey-context.js';
import {
  takesCheckpoints,
  type BranchNode,
  type CheckpointNode,
  type JourneyItem,
  type JourneyNode,
  type PathNode,
  type StepNode,
} from '../journey/journey-nodes.js';
import type { BranchableDatabase, ForkedDatabase } from '../state/branchable-database.js';
import {
  isBranchingStateManager,
  isForkableStateManager,
  type StateManager,
} from '../state/state-manager.js';
import { SharedTarget } from '../api/shared-target.js';
import type { Target, TargetInstance } from '../api/target.js';
import { checkStep } from './check-step.js';
import { toErrorInfo } from './error-info.js';
import type {
  BranchResult,
  CheckpointResult,
  ItemResult,
  JourneyResult,
  PathResult,
  ResultStatus,
  StepResult,
} from '../result/run-result.js';
import { RunnerConfigError } from './runner-errors.js';
import { skippedItem } from './skipped-items.js';

const debug = createDebug('venomqa:runner');

/** Wait before reading a failed step's API logs, so the line about its last request is in. */
const LOG_SETTLE_MS = 100;

/** Progress the runner reports while it works (the CLI prints a line per finished path). */
export type RunnerEvent =
  | { type: 'journey-started'; journey: string }
  | { type: 'path-finished'; journey: string; path: PathResult }
  | { type: 'journey-finished'; journey: string; result: JourneyResult };

export interface JourneyRunnerOptions {
  /** Settings read from config: parallel_paths, fail_fast, keep_failed, capture_logs, log_lines, timeout, base_url. */
  config?: Pick<
    ResolvedConfig,
    | 'parallel_paths'
    | 'fail_fast'
    | 'keep_failed'
    | 'capture_logs'
    | 'log_lines'
    | 'timeout'
    | 'base_url'
  >;
  /** A client whose base URL and headers (an auth token, …) every path starts from. */
  client?: HttpClient;
  /** Takes checkpoints and gives paths their state; needed by journeys that branch. */
  stateManager?: StateManager;
  /** Where the API comes from; default: the one API at `base_url` (`shared`). */
  target?: Target;
  parallelPaths?: number;
  failFast?: boolean;
  keepFailed?: boolean;
  captureLogs?: boolean;
  logLines?: number;
  /** HTTP timeout per request. */
  timeoutMs?: number;
  /** Ctrl-C: stops starting work, aborts requests in flight, releases everything. */
  signal?: AbortSignal;
  onEvent?: (event: RunnerEvent) => void;
}

/** One line of a journey: where its requests go and what it can checkpoint. */
interface Lane {
  client: HttpClient;
  ctx: JourneyContext;
  instance: TargetInstance;
  /** Per-path mode: the database this lane writes to (working database or a path's clone). */
  database: BranchableDatabase | undefined;
  /** Path names from the root, for qualified names. */
  trail: readonly string[];
}

interface Settings {
  parallelPaths: number;
  failFast: boolean;
  keepFailed: boolean;
  captureLogs: boolean;
  logLines: number;
  timeoutMs: number;
}

/**
 * Runs journeys. At a branch, each path gets its own clone of the checkpoint and its own API
 * instance (`process` / `docker` targets), and paths run under `p-limit(parallelPaths)`; with
 * one `shared` API, paths run one after another and the database is restored in place before
 * each. Everything acquired is released in `finally`; clones of failed paths are kept when
 * `keepFailed` is on.
 *
 * @example
 * const runner = new JourneyRunner({ stateManager, target, parallelPaths: 3 });
 * const result = await runner.run(checkoutJourney);
 * if (result.status === 'failed') process.exitCode = 1;
 */
export class JourneyRunner {
  readonly #settings: Settings;
  readonly #client: HttpClient | undefined;
  readonly #state: StateManager | undefined;
  readonly #target: Target;
  readonly #signal: AbortSignal | undefined;
  readonly #onEvent: (event: RunnerEvent) => void;

  constructor(options: JourneyRunnerOptions) {
    const config = options.config;
    this.#settings = {
      parallelPaths: options.parallelPaths ?? config?.parallel_paths ?? 1,
      failFast: options.failFast ?? config?.fail_fast ?? false,
      keepFailed: options.keepFailed ?? config?.keep_failed ?? false,
      captureLogs: options.captureLogs ?? config?.capture_logs ?? true,
      logLines: options.logLines ?? config?.log_lines ?? 50,
      timeoutMs: options.timeoutMs ?? (config?.timeout ?? 30) * 1000,
    };
    if (!Number.isInteger(this.#settings.parallelPaths) || this.#settings.parallelPaths < 1) {
      throw new RunnerConfigError(
        `parallelPaths must be an integer >= 1, got ${String(this.#settings.parallelPaths)}`,
      );
    }
    this.#client = options.client;
    this.#state = options.stateManager;
    const baseUrl = options.client?.baseUrl ?? config?.base_url;
    if (!options.target && baseUrl === undefined) {
      throw new RunnerConfigError(
        'JourneyRunner needs a target, a client or config.base_url to know where the API is',
      );
    }
    this.#target = options.target ?? new SharedTarget({ baseUrl: baseUrl ?? '' });
    this.#signal = options.signal;
    this.#onEvent = options.onEvent ?? (() => undefined);
    this.#checkCombination();
  }

  /** Run one journey; never throws for a failing journey, only for misuse. */
  async run(journey: JourneyNode): Promise<JourneyResult> {
    this.#checkJourney(journey);
    const startedAt = new Date();
    const began = performance.now();
    this.emit({ type: 'journey-started', journey: journey.name });
    const failFast = new AbortController();
    const signal = this.#signal
      ? AbortSignal.any([this.#signal, failFast.signal])
      : failFast.signal;
    const journeyRun = new JourneyRun(this, journey, this.#settings, signal, failFast);
    let items: ItemResult[];
    let error: JourneyResult['error'];
    let instance: TargetInstance | undefined;
    try {
      const database = this.#perPath() ? this.#workingDatabase() : undefined;
      instance = await this.#target.acquire(database?.url ?? '', { label: journey.name, signal });
      const lane: Lane = {
        client: this.newClient(instance.baseUrl, this.#client?.headers ?? {}, signal),
        ctx: new JourneyContext(),
        instance,
        database,
        trail: [],
      };
      items = await journeyRun.sequence(journey.steps, lane);
    } catch (caught) {
      debug('journey %s failed before its steps ran: %o', journey.name, caught);
      error = toErrorInfo(caught);
      items = journey.steps.map((item) => skippedItem(item, 'the journey could not start', []));
    } finally {
      await instance?.release();
    }
    const result: JourneyResult = {
      name: journey.name,
      status: error !== undefined ? 'failed' : aggregateStatus(items),
      startedAt: startedAt.toISOString(),
      durationMs: performance.now() - began,
      items,
      ...(error ? { error } : {}),
      apiMode: this.#target.mode,
      parallelPaths: this.#settings.parallelPaths,
    };
    this.emit({ type: 'journey-finished', journey: journey.name, result });
    return result;
  }

  /** @internal A client for one lane, starting from the given headers. */
  newClient(baseUrl: string, headers: Record<string, string>, signal: AbortSignal): HttpClient {
    return new HttpClient({ baseUrl, timeoutMs: this.#settings.timeoutMs, headers, signal });
  }

  /** @internal */
  get target(): Target {
    return this.#target;
  }

  /** @internal */
  get state(): StateManager | undefined {
    return this.#state;
  }

  /** @internal */
  emit(event: RunnerEvent): void {
    // A progress listener that throws must not tear a branch down with paths still running.
    try {
      this.#onEvent(event);
    } catch (error) {
      debug('onEvent listener threw: %o', error);
    }
  }

  #perPath(): boolean {
    return this.#target.isolation === 'per-path';
  }

  #workingDatabase(): BranchableDatabase {
    const state = this.#state;
    if (!state || !isBranchingStateManager(state)) {
      // #checkCombination rules this out; kept for the type.
      throw new RunnerConfigError('per-path targets need a state manager that clones databases');
    }
    return state.workingDatabase;
  }

  #checkCombination(): void {
    const { parallelPaths } = this.#settings;
    if (this.#target.isolation === 'shared' && parallelPaths > 1) {
      throw new RunnerConfigError(
        `parallel_paths is ${parallelPaths}, but api.mode '${this.#target.mode}' has one API for every path, so paths must run one after another`,
        {
          hint: 'Set api.mode to process (with api.command) or docker (with api.image): each path then gets its own API on its own database clone, and paths run at once. Or set parallel_paths: 1.',
        },
      );
    }
    if (this.#perPath() && (!this.#state || !isBranchingStateManager(this.#state))) {
      throw new RunnerConfigError(
        `api.mode '${this.#target.mode}' starts one API per path on its own database clone, which needs the template-clone backend`,
        {
          hint: 'Use db_backend: postgresql with strategy: template (SAVEPOINTs cannot give each path its own database), or api.mode: shared.',
        },
      );
    }
  }

  #checkJourney(journey: JourneyNode): void {
    if (!this.#state && takesCheckpoints(journey)) {
      throw new RunnerConfigError(
        `Journey '${journey.name}' takes checkpoints, but the runner has no state manager`,
        { hint: 'Pass stateManager (for example new TemplateStateManager({ connection_url })).' },
      );
    }
  }
}

/** The state of one `run(journey)` call: settings, signals, and the walk over the tree. */
class JourneyRun {
  readonly #runner: JourneyRunner;
  readonly #journey: JourneyNode;
  readonly #settings: Settings;
  readonly #signal: AbortSignal;
  readonly #failFast: AbortController;
  /** Numbers the implicit checkpoints taken before branches in shared mode. */
  #branches = 0;

  constructor(
    runner: JourneyRunner,
    journey: JourneyNode,
    settings: Settings,
    signal: AbortSignal,
    failFast: AbortController,
  ) {
    this.#runner = runner;
    this.#journey = journey;
    this.#settings = settings;
    this.#signal = signal;
    this.#failFast = failFast;
  }

  /**
   * Run items in order. After a failed step or checkpoint the rest of the sequence is skipped
   * (later steps depend on earlier ones); a failed path does not stop its parent's sequence,
   * since paths write only to their own clones, unless fail_fast is on.
   */
  async sequence(items: readonly JourneyItem[], lane: Lane): Promise<ItemResult[]> {
    const results: ItemResult[] = [];
    let stopReason: string | undefined;
    for (const [index, item] of items.entries()) {
      if (stopReason === undefined && this.#signal.aborted) stopReason = this.#abortReason();
      if (stopReason !== undefined) {
        results.push(skippedItem(item, stopReason, lane.trail));
        continue;
      }
      const result = await this.#item(item, lane, items.slice(index + 1));
      results.push(result);
      // A failed path does not stop its parent's line (paths write only to their own clones);
      // a branch that could not run, a failed step or checkpoint do.
      if (result.status === 'failed' && (result.kind !== 'branch' || result.error)) {
        stopReason = `'${itemName(result)}' failed before it`;
      }
    }
    return results;
  }

  #item(item: JourneyItem, lane: Lane, rest: readonly JourneyItem[]): Promise<ItemResult> {
    switch (item.kind) {
      case 'step':
        return this.#step(item, lane);
      case 'checkpoint':
        return this.#checkpoint(item, lane, rest);
      case 'branch':
        return this.#branch(item, lane);
    }
  }

  async #step(step: StepNode, lane: Lane): Promise<StepResult> {
    const startedAt = new Date().toISOString();
    const began = performance.now();
    let outcome: { value?: unknown; error?: unknown };
    try {
      outcome = { value: await step.action(lane.client, lane.ctx) };
    } catch (error) {
      outcome = { error };
    }
    const exchanges = lane.client.takeHistory();
    // Aborted (fail_fast, Ctrl-C) is neither a pass nor a failure, even for a negative test.
    const failure =
      outcome.error !== undefined && this.#signal.aborted
        ? outcome.error
        : await checkStep(step, outcome, exchanges, lane.ctx);
    const result: StepResult = {
      kind: 'step',
      name: step.name,
      status: failure === undefined ? 'passed' : 'failed',
      startedAt,
      durationMs: performance.now() - began,
      exchanges,
    };
    if (failure !== undefined) {
      if (this.#signal.aborted) {
        // Aborted mid-request by fail_fast or Ctrl-C: not this step's fault.
        result.status = 'skipped';
        result.error = { message: this.#abortReason() };
        return result;
      }
      result.error = toErrorInfo(failure);
      if (this.#settings.captureLogs && this.#settings.logLines > 0) {
        // The API logs a request after answering it; give that line a moment to arrive.
        await new Promise((resolve) => setTimeout(resolve, LOG_SETTLE_MS));
        result.logs = await lane.instance.logs(this.#settings.logLines).catch(() => []);
      }
      this.#noteFailure();
    }
    return result;
  }

  async #checkpoint(
    checkpoint: CheckpointNode,
    lane: Lane,
    rest: readonly JourneyItem[],
  ): Promise<CheckpointResult> {
    const startedAt = new Date().toISOString();
    const began = performance.now();
    let error: CheckpointResult['error'];
    try {
      if (lane.database) {
        await lane.database.checkpoint(checkpoint.name);
        // Clones for the branches ahead start now, while the lane goes on: as many at a time
        // as paths can be alive at once (see #parallelPaths), refilled as paths take them.
        const ahead = pathsBranchingFrom(checkpoint.name, rest);
        if (ahead > 0) {
          lane.database.prewarm(checkpoint.name, ahead, 2 * this.#settings.parallelPaths);
        }
      } else {
        await this.#requireState().checkpoint(checkpoint.name);
      }
    } catch (caught) {
      this.#noteFailure();
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

  async #branch(branch: BranchNode, lane: Lane): Promise<BranchResult> {
    const startedAt = new Date().toISOString();
    const began = performance.now();
    let paths: PathResult[];
    let error: BranchResult['error'];
    try {
      paths = lane.database
        ? await this.#parallelPaths(branch, lane, lane.database)
        : await this.#sequentialPaths(branch, lane);
    } catch (caught) {
      this.#noteFailure();
      error = toErrorInfo(caught);
      paths = branch.paths.map((path) =>
        this.#skippedPath(path, lane, 'the branch could not start'),
      );
    }
    return {
      kind: 'branch',
      checkpointName: branch.checkpointName,
      status: error !== undefined ? 'failed' : aggregateStatus(paths),
      startedAt,
      durationMs: performance.now() - began,
      paths,
      ...(error ? { error } : {}),
    };
  }

  /** Every path on its own clone with its own API instance, `parallelPaths` at a time. */
  async #parallelPaths(
    branch: BranchNode,
    lane: Lane,
    database: BranchableDatabase,
  ): Promise<PathResult[]> {
    const parallel = this.#settings.parallelPaths;
    // `parallel` paths run their steps at once; as many more get their clone and API ready
    // meanwhile, so an API's start-up overlaps the steps of the path before it.
    const running = pLimit(parallel);
    const alive = pLimit(2 * parallel);
    // A finished path's API is stopped and its clone dropped behind the next path's start,
    // off the critical path; the branch waits for all of it before it returns.
    const cleanups: Promise<void>[] = [];
    try {
      return await Promise.all(
        branch.paths.map((path) =>
          alive(() =>
            this.#isolatedPath(path, branch, lane, database, running, (cleanup) =>
              // Handled now: a failed drop while siblings still run must not be unhandled.
              cleanups.push(
                cleanup.catch((e: unknown) => debug('cleanup of %s: %o', path.name, e)),
              ),
            ),
          ),
        ),
      );
    } finally {
      await Promise.allSettled(cleanups);
    }
  }

  /**
   * One path on its own clone (taken from the clones prewarmed after the checkpoint when one is
   * ready) with its own API instance; its steps run once `running` has a slot.
   */
  async #isolatedPath(
    path: PathNode,
    branch: BranchNode,
    parent: Lane,
    database: BranchableDatabase,
    running: LimitFunction,
    defer: (cleanup: Promise<void>) => void,
  ): Promise<PathResult> {
    if (this.#signal.aborted) return this.#skippedPath(path, parent, this.#abortReason());
    const trail = [...parent.trail, path.name];
    const startedAt = new Date().toISOString();
    const began = performance.now();
    let fork: ForkedDatabase | undefined;
    let instance: TargetInstance | undefined;
    let items: ItemResult[];
    let error: PathResult['error'];
    try {
      [fork] = await database.fork(branch.checkpointName, 1);
      if (!fork) throw new Error(`no clone of '${branch.checkpointName}' was made`);
      instance = await this.#runner.target.acquire(fork.url, {
        label: `${this.#journey.name}/${trail.join('/')}`,
        signal: this.#signal,
      });
      const lane: Lane = {
        client: this.#runner.newClient(instance.baseUrl, parent.client.headers, this.#signal),
        ctx: parent.ctx.fork(),
        instance,
        database: fork,
        trail,
      };
      items = await running(() => this.sequence(path.steps, lane));
    } catch (caught) {
      error = toErrorInfo(caught);
      items = path.steps.map((item) => skippedItem(item, 'the path could not start', trail));
    }
    const result = this.#pathResult(path, trail, startedAt, began, items, error);
    if (error !== undefined && this.#signal.aborted) {
      result.status = 'skipped';
      result.skipReason = this.#abortReason();
      delete result.error;
    }
    if (result.status === 'failed') this.#noteFailure();
    const keep = result.status === 'failed' && this.#settings.keepFailed && fork !== undefined;
    if (keep) result.keptDatabase = fork?.database;
    const [api, clone] = [instance, fork];
    defer(
      (async () => {
        try {
          await api?.release();
        } catch (releaseError) {
          debug('releasing the API of %s: %o', path.name, releaseError);
        } finally {
          await (keep ? clone?.keep() : clone?.drop());
        }
      })(),
    );
    this.#runner.emit({ type: 'path-finished', journey: this.#journey.name, path: result });
    return result;
  }

  /**
   * One shared API: restore the checkpoint in place, run the path, one path at a time. The lane
   * is then put back to its state just before the branch (which may be past the checkpoint),
   * as it is untouched when paths run on clones. SAVEPOINT backends cannot hold a newer
   * checkpoint across a rollback to an older one: there the lane goes on from the checkpoint.
   */
  async #sequentialPaths(branch: BranchNode, lane: Lane): Promise<PathResult[]> {
    const state = this.#requireState();
    const before = isForkableStateManager(state)
      ? `vqa_before_branch_${++this.#branches}`
      : undefined;
    if (before) await state.checkpoint(before);
    const results: PathResult[] = [];
    try {
      let unusable: string | undefined;
      for (const path of branch.paths) {
        if (unusable === undefined && this.#signal.aborted) unusable = this.#abortReason();
        if (unusable !== undefined) {
          results.push(this.#skippedPath(path, lane, unusable));
          continue;
        }
        const trail = [...lane.trail, path.name];
        const startedAt = new Date().toISOString();
        const began = performance.now();
        let items: ItemResult[];
        let error: PathResult['error'];
        try {
          await state.rollback(branch.checkpointName);
          const pathLane: Lane = {
            ...lane,
            client: this.#runner.newClient(
              lane.instance.baseUrl,
              lane.client.headers,
              this.#signal,
            ),
            ctx: lane.ctx.fork(),
            trail,
          };
          items = await this.sequence(path.steps, pathLane);
        } catch (caught) {
          // The database is in an unknown state: no later path may run on it.
          error = toErrorInfo(caught);
          unusable = `restoring '${branch.checkpointName}' failed before '${path.name}'`;
          items = path.steps.map((item) => skippedItem(item, unusable ?? '', trail));
        }
        const result = this.#pathResult(path, trail, startedAt, began, items, error);
        if (result.status === 'failed') this.#noteFailure();
        this.#runner.emit({ type: 'path-finished', journey: this.#journey.name, path: result });
        results.push(result);
      }
      await state.rollback(before ?? branch.checkpointName);
    } finally {
      if (before) {
        await state.release(before).catch((e: unknown) => debug('releasing %s: %o', before, e));
      }
    }
    return results;
  }

  #pathResult(
    path: PathNode,
    trail: readonly string[],
    startedAt: string,
    began: number,
    items: ItemResult[],
    error: PathResult['error'],
  ): PathResult {
    const status = error !== undefined ? 'failed' : aggregateStatus(items);
    const skipped = status === 'skipped';
    return {
      name: path.name,
      qualifiedName: trail.join('/'),
      status,
      startedAt,
      durationMs: performance.now() - began,
      items,
      ...(error ? { error } : {}),
      ...(skipped ? { skipReason: this.#abortReason() } : {}),
    };
  }

  #skippedPath(path: PathNode, lane: Lane, reason: string): PathResult {
    const result: PathResult = {
      name: path.name,
      qualifiedName: [...lane.trail, path.name].join('/'),
      status: 'skipped',
      durationMs: 0,
      items: path.steps.map((item) => skippedItem(item, reason, [...lane.trail, path.name])),
      skipReason: reason,
    };
    this.#runner.emit({ type: 'path-finished', journey: this.#journey.name, path: result });
    return result;
  }

  #noteFailure(): void {
    if (this.#settings.failFast && !this.#failFast.signal.aborted) {
      debug('fail_fast: aborting the rest of %s', this.#journey.name);
      this.#failFast.abort(new Error('fail_fast'));
    }
  }

  #abortReason(): string {
    return this.#failFast.signal.aborted
      ? 'fail_fast: another path failed'
      : 'the run was interrupted';
  }

  #requireState(): StateManager {
    const state = this.#runner.state;
    if (!state) throw new RunnerConfigError('this journey needs a state manager');
    return state;
  }
}

/** How many paths of later branches (in this sequence) start from `checkpoint`. */
function pathsBranchingFrom(checkpoint: string, rest: readonly JourneyItem[]): number {
  return rest
    .filter((item): item is BranchNode => item.kind === 'branch')
    .filter((branch) => branch.checkpointName === checkpoint)
    .reduce((sum, branch) => sum + branch.paths.length, 0);
}

/**
 * The status of a line from its items: failed when one failed; skipped when one did not run
 * (stopped by fail_fast or Ctrl-C) although none failed; else passed.
 */
function aggregateStatus(items: readonly { status: ResultStatus }[]): ResultStatus {
  if (items.some((item) => item.status === 'failed')) return 'failed';
  if (items.some((item) => item.status === 'skipped')) return 'skipped';
  return 'passed';
}

function itemName(result: ItemResult): string {
  return result.kind === 'branch' ? `branch from ${result.checkpointName}` : result.name;
}
