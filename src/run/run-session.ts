import createDebug from 'debug';
import { createTarget } from '../api/create-target.js';
import { describeTarget } from '../api/describe-target.js';
import type { Target } from '../api/target.js';
import type { ResolvedConfig } from '../config/schema.js';
import type { JourneyResult, RunResult, SetupResult } from '../result/run-result.js';
import { ApiSlots } from '../runner/api-slots.js';
import { JourneyRunner, type RunnerEvent } from '../runner/journey-runner.js';
import { skippedItems } from '../runner/path-results.js';
import { INTERRUPTED } from '../runner/run-abort.js';
import type { SnapshotRef } from '../snapshot/snapshot-types.js';
import { TemplateSlotDatabase } from '../state/slot-database.js';
import type { StateManager } from '../state/state-manager.js';
import { branchingStateFactory, type BranchingStateFactory } from './branching-state.js';
import { checkStateBackend } from './check-state-backend.js';
import {
  onFreshDatabase,
  onUserDatabase,
  resettingAfter,
  type JourneyState,
} from './journey-databases.js';
import type { LoadedJourney } from './load-journeys.js';
import { openRunServer, type RunServer } from './run-server.js';
import { prepareSetupTemplate } from './setup-template.js';
import type { ShardPlan } from './shard-plan.js';
import { ServerLostError } from './run-errors.js';
import { lostServer, SERVER_LOST } from './server-lost.js';
import { sharedState } from './shared-state.js';
import { stateDiffsFor } from './state-diffs.js';

const debug = createDebug('venomqa:run');

export interface RunSessionOptions {
  config: ResolvedConfig;
  /** The journeys of the first run: whether a shared API needs a state backend. */
  journeys: readonly LoadedJourney[];
  cwd: string;
  server?: { adminUrl: string } | undefined;
  /** `--no-cache` for the first setup. */
  rebuildSetup?: boolean;
  signal?: AbortSignal | undefined;
  onProgress?: (line: string) => void;
}

export interface SessionRunOptions {
  onEvent?: (event: RunnerEvent) => void;
  /** `--shard i/n`: run only this shard's paths (see shard-plan). */
  shard?: ShardPlan;
}

/**
 * What `venomqa run` keeps up while journeys run: the target, the PostgreSQL server with its
 * snapshot engine, the `setup:` template and the API slots. `runJourneys` opens one, runs once
 * and closes it; watch mode keeps it open between runs, so a rerun starts in milliseconds
 * (APIs running, template cached) and only a changed API or setup restarts what it must.
 */
export class RunSession {
  readonly #options: RunSessionOptions;
  readonly #progress: (line: string) => void;
  #target: Target | undefined;
  #runServer: RunServer | undefined;
  #shared: StateManager | undefined;
  #slots: ApiSlots | undefined;
  #template: { outcome: SetupResult; ref: SnapshotRef } | undefined;
  /** The state manager of each journey's database (db_backend), with API-started targets. */
  #makeState: BranchingStateFactory | undefined;
  #closed: Promise<void> | undefined;

  private constructor(options: RunSessionOptions) {
    this.#options = options;
    this.#progress = options.onProgress ?? (() => undefined);
  }

  /** Start what the config asks for; on failure everything started so far is released. */
  static async open(options: RunSessionOptions): Promise<RunSession> {
    const session = new RunSession(options);
    try {
      await session.#open();
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  get config(): ResolvedConfig {
    return this.#options.config;
  }

  async #open(): Promise<void> {
    const { config, signal } = this.#options;
    // Before anything starts: a db_backend nobody registered is a config error, in every mode.
    const registry = await checkStateBackend(config, this.#options.cwd);
    const target = await createTarget(config, {
      onProgress: this.#progress,
      ...(signal ? { signal } : {}),
    });
    this.#target = target;
    if (target.isolation === 'shared') {
      this.#progress(describeTarget(target));
      if (config.setup.command !== null) {
        this.#progress(
          "setup: not run: with api.mode shared the API's database is its own (db_url)",
        );
      }
      const journeys = this.#options.journeys.map((loaded) => loaded.journey);
      this.#shared = await sharedState(config, journeys, this.#options.cwd, this.#progress);
      await this.#shared?.connect();
      return;
    }
    this.#makeState = branchingStateFactory(config, registry);
    this.#runServer = await openRunServer(config, this.#options.cwd, {
      server: this.#options.server,
      withPooler: this.#onSlots,
      onProgress: this.#progress,
      ...(signal ? { signal } : {}),
    });
    if (config.db_url) {
      if (config.setup.command !== null) {
        this.#progress('setup: not run: the journeys run on db_url, your database as it is');
      }
    } else {
      await this.refreshSetup(this.#options.rebuildSetup ?? false);
    }
    this.#slots = this.#newSlots();
    this.#progress(describeTarget(target, this.#slots ? config.parallel_paths : undefined));
  }

  /**
   * Hash `setup.inputs` again and use the template of that key (running `setup.command` when
   * there is none yet). Returns true when the template changed.
   */
  async refreshSetup(rebuild = false): Promise<boolean> {
    const server = this.#runServer;
    if (!server || this.config.db_url) return false;
    const before = this.#template?.ref.physical;
    this.#template = await prepareSetupTemplate(server.engine, this.config, {
      rebuild,
      serverOutlivesRun: server.persistent,
      onProgress: this.#progress,
      ...(this.#options.signal ? { signal: this.#options.signal } : {}),
    });
    return this.#template?.ref.physical !== before;
  }

  /** Stop the slots' APIs; the next journey starts them again (the API's code changed). */
  async restartApis(): Promise<void> {
    const old = this.#slots;
    this.#slots = this.#newSlots();
    await old?.dispose().catch((error: unknown) => debug('disposing the API slots: %o', error));
  }

  /** Run journeys, one after another, each on a database of its own. */
  async run(
    journeys: readonly LoadedJourney[],
    options: SessionRunOptions = {},
  ): Promise<RunResult> {
    const { config, signal } = this.#options;
    const target = this.#target;
    if (!target) throw new Error('the run session is closed');
    const startedAt = new Date();
    const began = performance.now();
    const results: JourneyResult[] = [];
    const notHere: JourneyResult[] = [];
    let interrupted: boolean;
    let lost: { journey: string; cause: unknown } | undefined;
    try {
      lost = await this.#runEach(journeys, options, results, notHere);
      interrupted = signal?.aborted ?? false;
    } catch (error) {
      // Stopped while a journey started or ran: what failed failed because of the interrupt,
      // and the report says what ran.
      if (!signal?.aborted) throw error;
      debug('stopped by the interrupt: %o', error);
      interrupted = true;
    }
    const ran = new Set([...results, ...notHere].map((r) => r.name));
    if (interrupted || lost) {
      const reason = lost ? SERVER_LOST : INTERRUPTED;
      for (const loaded of journeys) {
        if (!ran.has(loaded.journey.name)) {
          results.push(notStarted(loaded, config, target.mode, reason));
        }
      }
    }
    const passed = results.filter((r) => r.status === 'passed').length;
    const slotStats = this.#slots?.stats();
    const order = new Map(journeys.map((loaded, index) => [loaded.journey.name, index]));
    const result: RunResult = {
      startedAt: startedAt.toISOString(),
      durationMs: performance.now() - began,
      journeys: [...results, ...notHere].sort(
        (a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0),
      ),
      passed,
      // A journey that did not pass (failed, or stopped part-way) counts as failed, unless the
      // run was interrupted: then what was stopped is skipped, and only real failures count.
      // One whose paths all belong to other shards did not run here and counts in neither.
      failed: interrupted
        ? results.filter((r) => r.status === 'failed').length
        : results.length - passed,
      ...(interrupted ? { interrupted } : {}),
      ...(slotStats && slotStats.length > 0 ? { slots: slotStats } : {}),
      ...(this.#template ? { setup: this.#template.outcome } : {}),
      ...(options.shard ? { shard: options.shard.spec } : {}),
    };
    if (lost) throw new ServerLostError(lost.journey, lost.cause, result);
    return result;
  }

  /**
   * The journeys one after another; stops at Ctrl-C, with fail_fast at a failed one, and when
   * the server stopped answering (returned: the journey it happened in, and why). Results go
   * into `results`, journeys whose paths all belong to other shards into `notHere`.
   */
  async #runEach(
    journeys: readonly LoadedJourney[],
    options: SessionRunOptions,
    results: JourneyResult[],
    notHere: JourneyResult[],
  ): Promise<{ journey: string; cause: unknown } | undefined> {
    const { config, signal } = this.#options;
    const target = this.#target;
    if (!target) throw new Error('the run session is closed');
    const withState = this.#journeyState();
    const stateDiff = stateDiffsFor(config.report);
    const info = { apiMode: target.mode, parallelPaths: config.parallel_paths };
    for (const loaded of journeys) {
      if (signal?.aborted) return undefined;
      // fail_fast stops the run, not only the journey: later journeys are not started.
      if (config.fail_fast && results.some((r) => r.status === 'failed')) {
        this.#progress(
          `fail_fast: not running the ${journeys.length - results.length - notHere.length} remaining journey(s)`,
        );
        return undefined;
      }
      const part = options.shard?.part(loaded.journey);
      if (part && !part.journey) {
        notHere.push(part.finish(undefined, { ...info, file: loaded.file }));
        continue;
      }
      const journey = part?.journey ?? loaded.journey;
      try {
        await withState(async (state) => {
          const runner = new JourneyRunner({
            config,
            target,
            ...(state ? { stateManager: state } : {}),
            ...(this.#slots ? { slots: this.#slots } : {}),
            ...(stateDiff ? { stateDiff } : {}),
            ...(signal ? { signal } : {}),
            ...(options.onEvent ? { onEvent: options.onEvent } : {}),
          });
          const ran = await runner.run(journey);
          if (loaded.file) ran.file = loaded.file;
          results.push(part ? part.finish(ran, { ...info, file: loaded.file }) : ran);
        });
      } catch (error) {
        // Its database could not be made or cleaned up: because the server is gone?
        const cause = signal?.aborted ? undefined : await this.#lostServer();
        if (cause === undefined) throw error;
        return { journey: journey.name, cause };
      }
      // A failed journey's paths may have failed because the server went away under them.
      if (results.at(-1)?.status === 'failed') {
        const cause = await this.#lostServer();
        if (cause !== undefined) return { journey: journey.name, cause };
      }
    }
    return undefined;
  }

  /** The connection error when the run's server no longer answers (see server-lost). */
  async #lostServer(): Promise<unknown> {
    return this.#runServer ? lostServer(this.#runServer.engine) : undefined;
  }

  /** Release everything, last started first. Idempotent. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      await this.#slots
        ?.dispose()
        .catch((error: unknown) => debug('disposing the API slots: %o', error));
      await this.#shared?.disconnect().catch((error: unknown) => debug('disconnecting: %o', error));
      await this.#target
        ?.dispose?.()
        .catch((error: unknown) => debug('disposing the target: %o', error));
      await this.#runServer?.close().catch((error: unknown) => debug('closing: %o', error));
      this.#target = undefined;
    })();
    return this.#closed;
  }

  #journeyState(): JourneyState {
    const config = this.config;
    if (this.#target?.isolation === 'shared') return resettingAfter(this.#shared);
    const server = this.#runServer;
    const makeState = this.#makeState;
    if (!server || !makeState) throw new Error('the run session has no server');
    if (config.db_url) return onUserDatabase(config.db_url, makeState);
    return onFreshDatabase(server.engine, makeState, this.#template?.ref);
  }

  /** Whether journeys run on run-wide API slots (and so PgBouncer, if configured, is wanted). */
  get #onSlots(): boolean {
    return this.config.api.reuse && this.config.db_backend === 'postgresql';
  }

  #newSlots(): ApiSlots | undefined {
    const server = this.#runServer;
    const target = this.#target;
    // Run-wide slots hold template clones; another backend's slots (if it has any) are the
    // runner's, per journey.
    if (!server || !target || !this.#onSlots) return undefined;
    return new ApiSlots({
      target,
      count: this.config.parallel_paths,
      createDatabase: () =>
        new TemplateSlotDatabase(server.engine, (database) => server.slotUrlFor(database)),
      healthTimeoutMs: this.config.api.startup_timeout * 1000,
    });
  }
}

/** A journey the run never started (it was interrupted, or its server was lost): all skipped. */
export function notStarted(
  loaded: LoadedJourney,
  config: ResolvedConfig,
  apiMode: string,
  reason = INTERRUPTED,
): JourneyResult {
  return {
    name: loaded.journey.name,
    ...(loaded.file ? { file: loaded.file } : {}),
    status: 'skipped',
    durationMs: 0,
    items: skippedItems(loaded.journey.steps, reason, []),
    apiMode,
    parallelPaths: config.parallel_paths,
  };
}
