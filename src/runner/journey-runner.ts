import createDebug from 'debug';
import { SharedTarget } from '../api/shared-target.js';
import type { Target } from '../api/target.js';
import type { HttpClient } from '../http/http-client.js';
import type { JourneyNode } from '../journey/journey-nodes.js';
import type { BranchableDatabase } from '../state/branchable-database.js';
import {
  isBranchingStateManager,
  type BranchingStateManager,
  type StateManager,
} from '../state/state-manager.js';
import { ApiSlots } from './api-slots.js';
import { mainLine, mainLineOnSlot } from './main-line.js';
import { toErrorInfo } from './error-info.js';
import { JourneyWalk, type BranchMode } from './journey-walk.js';
import { aggregateStatus, skippedItems } from './path-results.js';
import type { ItemResult, JourneyResult, PathSlotInfo } from '../result/run-result.js';
import { RunAbort } from './run-abort.js';
import { checkJourney, checkRunnerCombination } from './runner-checks.js';
import type { RunnerEvent } from './runner-events.js';
import { RunnerConfigError } from './runner-errors.js';
import { runnerSettings, type RunnerConfig, type RunnerSettings } from './runner-settings.js';
import type { StateDiffHook } from './state-diff-hook.js';

export type { RunnerEvent } from './runner-events.js';

const debug = createDebug('venomqa:runner');

export interface JourneyRunnerOptions {
  /** Settings read from config: parallel_paths, fail_fast, keep_failed, capture_logs, log_lines, timeout, base_url, verbose, api.reuse. */
  config?: RunnerConfig;
  /**
   * A client for a running API (`new Client({ baseUrl })`): paths start from its base URL and
   * headers (an auth token, …). Without a target, this API is shared by every path.
   */
  client?: HttpClient;
  /**
   * Takes checkpoints and gives paths their state; needed by journeys that branch. Connected by
   * the runner when it is not (and then disconnected after the journey).
   */
  stateManager?: StateManager;
  /** Where the API comes from; default: the one API at the client's or `base_url` (`shared`). */
  target?: Target;
  /**
   * API slots shared by several runs (as `runJourneys` shares them across journeys); by
   * default each `run` makes its own from the state manager and the target, and disposes them.
   */
  slots?: ApiSlots;
  parallelPaths?: number;
  failFast?: boolean;
  keepFailed?: boolean;
  captureLogs?: boolean;
  logLines?: number;
  /** HTTP timeout per request. */
  timeoutMs?: number;
  /** One long-lived API per slot (default), or a fresh API per path (`false`). */
  reuseApi?: boolean;
  /** Emit checkpoint, clone, rollback and release lines as `state` events. */
  verbose?: boolean;
  /**
   * Declare that the API under test runs queries through the state manager's own connection
   * (an in-process app), so SAVEPOINTs can roll its writes back. Without it a SAVEPOINT manager
   * with a shared API is refused: the API's own connections would never see the rollback.
   */
  apiSharesConnection?: boolean;
  /**
   * `report.diff`: a new hook per journey, told about checkpoints and finished paths, whose
   * diffs the paths' results carry (`stateDiff` of `venomqa/diff` makes one).
   */
  stateDiff?: () => StateDiffHook;
  /** Ctrl-C: stops starting work, aborts requests in flight, releases everything. */
  signal?: AbortSignal;
  onEvent?: (event: RunnerEvent) => void;
}

/**
 * Runs journeys. At a branch every path starts from the checkpoint on a database of its own:
 *
 * - `process` / `docker` targets with `api.reuse` (the default): `parallel_paths` API slots,
 *   each a long-lived API whose database is swapped for each path's clone (see
 *   {@link ApiSlots}); paths, nested ones included, run on at most that many slots at once.
 * - with `reuseApi: false`: each path gets its own clone and its own freshly started API.
 * - `shared` (one running API): paths run one after another, the database restored in place.
 *
 * Everything acquired is released in `finally`; clones of failed paths are kept with
 * `keepFailed`.
 *
 * @example
 * const runner = new JourneyRunner({ client: new Client({ baseUrl }), stateManager });
 * const result = await runner.run(checkoutJourney);
 * if (result.status === 'failed') process.exitCode = 1;
 */
export class JourneyRunner {
  readonly #settings: RunnerSettings;
  readonly #client: HttpClient | undefined;
  readonly #state: StateManager | undefined;
  readonly #target: Target;
  readonly #slots: ApiSlots | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #onEvent: (event: RunnerEvent) => void;
  readonly #stateDiff: (() => StateDiffHook) | undefined;

  constructor(options: JourneyRunnerOptions) {
    this.#settings = runnerSettings(options);
    this.#client = options.client;
    this.#state = options.stateManager;
    this.#target =
      options.target ??
      new SharedTarget({ baseUrl: sharedBaseUrl(options.client, options.config) });
    this.#slots = options.slots;
    this.#signal = options.signal;
    this.#onEvent = options.onEvent ?? (() => undefined);
    this.#stateDiff = options.stateDiff;
    checkRunnerCombination({
      target: this.#target,
      state: this.#state,
      parallelPaths: this.#settings.parallelPaths,
      apiSharesConnection: options.apiSharesConnection ?? false,
    });
  }

  /** How this runner gives paths an API: on slots, one per path, or one shared API. */
  get mode(): BranchMode {
    if (this.#target.isolation === 'shared') return 'in-place';
    const state = this.#state;
    const slotsPossible =
      this.#slots !== undefined ||
      (state !== undefined && isBranchingStateManager(state) && !!state.createSlotDatabase);
    return this.#settings.reuseApi && slotsPossible ? 'slots' : 'per-path';
  }

  /** Run one journey; never throws for a failing journey, only for misuse. */
  async run(journey: JourneyNode): Promise<JourneyResult> {
    const state = this.#state;
    checkJourney(journey, state);
    const startedAt = new Date();
    const began = performance.now();
    this.#emit({ type: 'journey-started', journey: journey.name });
    const abort = new RunAbort(journey.name, this.#signal, this.#settings.failFast);
    const mode = this.mode;
    let items: ItemResult[];
    let error: JourneyResult['error'];
    let ownSlots: ApiSlots | undefined;
    let slotStats: JourneyResult['slots'];
    let connectedHere = false;
    const stateDiff = this.#stateDiff?.();
    const mainSlot: { info?: PathSlotInfo } = {};
    try {
      if (state && !state.isConnected()) {
        await state.connect();
        connectedHere = true;
      }
      ownSlots = mode === 'slots' && !this.#slots ? this.#newSlots() : undefined;
      const walk = new JourneyWalk({
        journey,
        settings: this.#settings,
        abort,
        target: this.#target,
        state,
        slots: this.#slots ?? ownSlots,
        mode,
        emit: (event) => this.#emit(event),
        stateDiff,
      });
      const headers = this.#client?.headers ?? {};
      items =
        mode === 'slots'
          ? await mainLineOnSlot(walk, this.#workingDatabase(), headers, mainSlot)
          : await mainLine(
              walk,
              mode === 'per-path' ? this.#workingDatabase() : undefined,
              headers,
            );
    } catch (caught) {
      debug('journey %s failed before its steps ran: %o', journey.name, caught);
      // Stopped (Ctrl-C) before it could start is not a failure of the journey.
      if (!abort.aborted) error = toErrorInfo(caught);
      items = skippedItems(
        journey.steps,
        abort.aborted ? abort.reason : 'the journey could not start',
        [],
      );
    } finally {
      stateDiff?.close();
      slotStats = ownSlots?.stats();
      await ownSlots?.dispose();
      if (connectedHere) {
        await state?.disconnect().catch((e: unknown) => debug('disconnecting: %o', e));
      }
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
      ...(mode === 'in-place' ? {} : { apiReuse: mode === 'slots' }),
      ...(slotStats && slotStats.length > 0 ? { slots: slotStats } : {}),
      ...(mainSlot.info ? { slot: mainSlot.info } : {}),
    };
    this.#emit({ type: 'journey-finished', journey: journey.name, result });
    return result;
  }

  #newSlots(): ApiSlots {
    const state = this.#branchingState();
    const create = state.createSlotDatabase?.bind(state);
    if (!create) throw new Error('this state manager cannot make API slots');
    return new ApiSlots({
      target: this.#target,
      count: this.#settings.parallelPaths,
      createDatabase: create,
      healthTimeoutMs: this.#settings.healthTimeoutMs,
    });
  }

  #workingDatabase(): BranchableDatabase {
    return this.#branchingState().workingDatabase;
  }

  #branchingState(): BranchingStateManager {
    const state = this.#state;
    if (!state || !isBranchingStateManager(state)) {
      // checkRunnerCombination rules this out; kept for the type.
      throw new Error('per-path targets need a state manager that clones databases');
    }
    return state;
  }

  #emit(event: RunnerEvent): void {
    // A progress listener that throws must not tear a branch down with paths still running.
    try {
      this.#onEvent(event);
    } catch (error) {
      debug('onEvent listener threw: %o', error);
    }
  }
}

/** Where a shared API is when no target is given: the client's base URL, else `base_url`. */
function sharedBaseUrl(client: HttpClient | undefined, config: RunnerConfig | undefined): string {
  const baseUrl = client?.baseUrl ?? config?.base_url;
  if (baseUrl === undefined) {
    throw new RunnerConfigError(
      'JourneyRunner needs a target, a client or config.base_url to know where the API is',
      { hint: "Pass client: new Client({ baseUrl: 'http://localhost:8000' }), or a target." },
    );
  }
  return baseUrl;
}
