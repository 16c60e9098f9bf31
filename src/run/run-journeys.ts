import createDebug from 'debug';
import { stateBackendOptions } from '../state/backend-options.js';
import { checkStateBackend } from '../state/check-state-backend.js';
import { createTarget } from '../api/create-target.js';
import { describeTarget } from '../api/describe-target.js';
import type { Target } from '../api/target.js';
import type { ResolvedConfig } from '../config/schema.js';
import { takesCheckpoints } from '../journey/journey-nodes.js';
import { ApiSlots } from '../runner/api-slots.js';
import { JourneyRunner, type RunnerEvent } from '../runner/journey-runner.js';
import type { JourneyResult, RunResult, SetupResult, SlotStats } from '../runner/result.js';
import { skippedItems } from '../runner/path-results.js';
import { INTERRUPTED } from '../runner/run-abort.js';
import { RunnerConfigError } from '../runner/runner-errors.js';
import { createStateBackendRegistry } from '../state/backend-registry.js';
import { chooseStrategy } from '../state/choose-strategy.js';
import { TemplateSlotDatabase } from '../state/slot-database.js';
import type { StateManager } from '../state/state-manager.js';
import {
  onFreshDatabase,
  onUserDatabase,
  resettingAfter,
  type JourneyState,
} from './journey-databases.js';
import type { LoadedJourney } from './load-journeys.js';
import { openRunServer, type RunServer } from './run-server.js';
import { lostServer, SERVER_LOST, ServerLostError } from './server-lost.js';
import { prepareSetupTemplate } from './setup-template.js';

const debug = createDebug('venomqa:run');

export interface RunJourneysOptions {
  config: ResolvedConfig;
  journeys: readonly LoadedJourney[];
  /** The project folder, where state backend plugins are looked up. */
  cwd: string;
  /**
   * A PostgreSQL server the caller runs (e.g. `await startPostgres(config)`), used instead of
   * the managed `venomqa db` or a server started for the run, and left running.
   */
  server?: { adminUrl: string };
  /** `--no-cache`: run `setup.command` even when its template is cached. */
  rebuildSetup?: boolean;
  /**
   * Ctrl-C: the run stops starting work, releases everything, and resolves with what it has:
   * the journeys that finished, the one it stopped (its unfinished items skipped) and the ones
   * it never started (skipped), with `interrupted: true`.
   */
  signal?: AbortSignal;
  onEvent?: (event: RunnerEvent) => void;
  /** One line per setup step (server started, image built, …) for stderr. */
  onProgress?: (line: string) => void;
}

/**
 * What `venomqa run` does: decide where the API and the databases come from, run each journey
 * on a database of its own, and release everything in `finally`.
 *
 * - `process` / `docker` targets: with `db_url`, journeys run on that database, which is
 *   restored to how it was after each journey; without, each journey gets a new database (a
 *   clone of the `setup:` template, else empty) on the managed `venomqa db` when it runs, else
 *   on a PostgreSQL server started for the run (Docker, else embedded) and stopped after it.
 *   With `api.reuse` the run has `parallel_paths` API slots shared by all its journeys: each API
 *   starts once and gets each path's database swapped in under it.
 * - `shared` target: the API at `base_url` uses the database at `db_url`; paths run one after
 *   another with the database restored in place, and it is reset after each journey.
 */
export async function runJourneys(options: RunJourneysOptions): Promise<RunResult> {
  const { config, signal } = options;
  const progress = options.onProgress ?? (() => undefined);
  const startedAt = new Date();
  const began = performance.now();
  const results: JourneyResult[] = [];
  let target: Target | undefined;
  let runServer: RunServer | undefined;
  let shared: StateManager | undefined;
  let slots: ApiSlots | undefined;
  let slotStats: SlotStats[] | undefined;
  let setup: SetupResult | undefined;
  let interrupted: boolean;
  let lost: { journey: string; cause: unknown } | undefined;
  try {
    // Before anything starts: a db_backend nobody registered is a config error, in every mode.
    await checkStateBackend(config, options.cwd);
    target = await createTarget(config, { onProgress: progress, ...(signal ? { signal } : {}) });
    let withState: JourneyState;
    if (target.isolation === 'shared') {
      progress(describeTarget(target));
      if (config.setup.command !== null) {
        progress("setup: not run: with api.mode shared the API's database is its own (db_url)");
      }
      shared = await sharedState(options);
      await shared?.connect();
      withState = resettingAfter(shared);
    } else {
      const server = await openRunServer(config, options.cwd, {
        server: options.server,
        onProgress: progress,
        ...(signal ? { signal } : {}),
      });
      runServer = server;
      if (config.db_url) {
        if (config.setup.command !== null) {
          progress('setup: not run: the journeys run on db_url, your database as it is');
        }
        withState = onUserDatabase(config.db_url, config.safety.allow_remote);
      } else {
        const prepared = await prepareSetupTemplate(server.engine, config, {
          rebuild: options.rebuildSetup ?? false,
          serverOutlivesRun: server.persistent,
          onProgress: progress,
          ...(signal ? { signal } : {}),
        });
        setup = prepared?.outcome;
        withState = onFreshDatabase(server.engine, prepared?.ref);
      }
      if (config.api.reuse) {
        slots = new ApiSlots({
          target,
          count: config.parallel_paths,
          createDatabase: () => new TemplateSlotDatabase(server.engine),
          healthTimeoutMs: config.api.startup_timeout * 1000,
        });
      }
      progress(describeTarget(target, slots ? config.parallel_paths : undefined));
    }

    for (const loaded of options.journeys) {
      if (signal?.aborted) break;
      // fail_fast stops the run, not only the journey: later journeys are not started.
      if (config.fail_fast && results.some((r) => r.status === 'failed')) {
        progress(
          `fail_fast: not running the ${options.journeys.length - results.length} remaining journey(s)`,
        );
        break;
      }
      try {
        await withState(async (state) => {
          const runner = new JourneyRunner({
            config,
            target,
            ...(state ? { stateManager: state } : {}),
            ...(slots ? { slots } : {}),
            ...(signal ? { signal } : {}),
            ...(options.onEvent ? { onEvent: options.onEvent } : {}),
          });
          const result = await runner.run(loaded.journey);
          if (loaded.file) result.file = loaded.file;
          results.push(result);
        });
      } catch (error) {
        // Its database could not be made or cleaned up: because the server is gone?
        const cause =
          !signal?.aborted && runServer ? await lostServer(runServer.engine) : undefined;
        if (cause === undefined) throw error;
        lost = { journey: loaded.journey.name, cause };
        break;
      }
      // A failed journey's paths may have failed because the server went away under them.
      if (results.at(-1)?.status === 'failed' && runServer) {
        const cause = await lostServer(runServer.engine);
        if (cause !== undefined) {
          lost = { journey: loaded.journey.name, cause };
          break;
        }
      }
    }
    interrupted = signal?.aborted ?? false;
  } catch (error) {
    // Stopped while starting the server, the API or a journey: what failed failed because of
    // the interrupt, and the report says what ran.
    if (!signal?.aborted) throw error;
    debug('stopped by the interrupt: %o', error);
    interrupted = true;
  } finally {
    slotStats = slots?.stats();
    await slots?.dispose().catch((error: unknown) => debug('disposing the API slots: %o', error));
    await shared?.disconnect().catch((error: unknown) => debug('disconnecting: %o', error));
    await target?.dispose?.().catch((error: unknown) => debug('disposing the target: %o', error));
    await runServer?.close().catch((error: unknown) => debug('closing the server: %o', error));
  }
  if (interrupted || lost) {
    const reason = lost ? SERVER_LOST : INTERRUPTED;
    for (const loaded of options.journeys.slice(results.length)) {
      results.push(notStarted(loaded, config, target?.mode ?? config.api.mode, reason));
    }
  }
  const passed = results.filter((r) => r.status === 'passed').length;
  const result: RunResult = {
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - began,
    journeys: results,
    passed,
    // A journey that did not pass (failed, or stopped part-way) counts as failed, unless the
    // run was interrupted: then what was stopped is skipped, and only real failures count.
    failed: interrupted
      ? results.filter((r) => r.status === 'failed').length
      : results.length - passed,
    ...(interrupted ? { interrupted } : {}),
    ...(slotStats && slotStats.length > 0 ? { slots: slotStats } : {}),
    ...(setup ? { setup } : {}),
  };
  if (lost) throw new ServerLostError(lost.journey, lost.cause, result);
  return result;
}

/** A journey the run never started (it was interrupted, or its server was lost): all skipped. */
function notStarted(
  loaded: LoadedJourney,
  config: ResolvedConfig,
  apiMode: string,
  reason: string,
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

/** The state backend of the API's own database, for a shared API; none without checkpoints. */
async function sharedState(options: RunJourneysOptions): Promise<StateManager | undefined> {
  const { config } = options;
  if (!options.journeys.some((j) => takesCheckpoints(j.journey))) return undefined;
  if (!config.db_url) {
    throw new RunnerConfigError(
      "The journeys take checkpoints, but api.mode is 'shared' and db_url is not set: venomqa cannot reach the API's database",
      {
        hint: 'Set db_url (or VENOMQA_DB_URL) to the database the API at base_url uses, or let venomqa start the API (api.mode: process or docker).',
      },
    );
  }
  const registry = await createStateBackendRegistry({ cwd: options.cwd, config });
  const backend = config.db_backend;
  const reason =
    backend === 'postgresql'
      ? await chooseStrategy(config.strategy, config.db_url)
      : { strategy: backend === 'postgresql-savepoint' ? 'savepoint' : 'other', reason: '' };
  if (reason.strategy === 'savepoint') {
    // DESIGN point 4: an API with its own pool never sees venomqa's SAVEPOINTs, so nothing it
    // writes could be rolled back. Refuse rather than pretend.
    throw new RunnerConfigError(
      `A shared API cannot be tested with SAVEPOINTs: it writes through its own connections, which SAVEPOINTs on venomqa's connection cannot roll back${reason.reason ? ` (${reason.reason})` : ''}`,
      {
        hint: 'Give the db_url role CREATEDB and use db_backend: postgresql (template clones restore the database the API really uses), or use PostgreSQLStateManager in code with an in-process app that shares its connection.',
      },
    );
  }
  if (reason.reason) options.onProgress?.(reason.reason);
  return registry.create(backend, stateBackendOptions(config));
}
