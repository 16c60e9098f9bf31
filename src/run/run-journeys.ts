import createDebug from 'debug';
import type { ResolvedConfig } from '../config/schema.js';
import { ManagedDatabase } from '../server/managed-database.js';
import { startPostgres } from '../server/start-postgres.js';
import type { PostgresServer } from '../server/postgres-server.js';
import { SnapshotEngine } from '../snapshot/snapshot-engine.js';
import { createStateBackendRegistry } from '../state/create-state-backend-registry.js';
import { chooseStrategy } from '../state/choose-strategy.js';
import type { StateManager } from '../state/state-manager.js';
import { TemplateStateManager } from '../state/template-state-manager.js';
import { createTarget } from '../api/create-target.js';
import { describeTarget } from '../api/describe-target.js';
import type { Target } from '../api/target.js';
import { takesCheckpoints } from '../journey/journey-nodes.js';
import { JourneyRunner, type RunnerEvent } from '../runner/journey-runner.js';
import type { LoadedJourney } from './load-journeys.js';
import type { JourneyResult, RunResult } from '../result/run-result.js';
import { RunInterruptedError, RunnerConfigError } from '../runner/runner-errors.js';

const debug = createDebug('venomqa:runner');

export interface RunJourneysOptions {
  config: ResolvedConfig;
  journeys: readonly LoadedJourney[];
  /** The project folder, where state backend plugins are looked up. */
  cwd: string;
  /** Ctrl-C: the run stops, releases everything, and rejects with RunInterruptedError. */
  signal?: AbortSignal;
  onEvent?: (event: RunnerEvent) => void;
  /** One line per setup step (server started, image built, …) for stderr. */
  onProgress?: (line: string) => void;
}

/**
 * What `venomqa run` does: decide where the API and the database come from, run each journey
 * on a database of its own, and release everything in `finally`.
 *
 * - `process` / `docker` targets (one API per path): with `db_url`, journeys run on that
 *   database, which is restored to how it was after each journey; without, each journey gets a
 *   new empty database on the managed `venomqa db` when it runs, else on a PostgreSQL server
 *   started for the run (Docker, else embedded) and stopped after it.
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
  let server: PostgresServer | undefined;
  let engine: SnapshotEngine | undefined;
  let shared: StateManager | undefined;
  try {
    target = await createTarget(config, {
      onProgress: progress,
      ...(signal ? { signal } : {}),
    });
    progress(describeTarget(target));
    let withState: JourneyState;
    if (target.isolation === 'shared') {
      shared = await sharedState(options);
      await shared?.connect();
      withState = resettingAfter(shared);
    } else if (config.db_url) {
      withState = onUserDatabase(config.db_url, config.safety.allow_remote);
    } else {
      const managed = await new ManagedDatabase(config, options.cwd).status();
      let adminUrl: string;
      if (managed.running && managed.state) {
        // `venomqa db up` is running: use it, so kept clones outlive the run.
        adminUrl = ManagedDatabase.urlOf(managed.state, 'postgres');
        progress(`PostgreSQL ${managed.state.serverVersion} (the managed \`venomqa db\`)`);
      } else {
        server = await startPostgres(config, {
          onProgress: progress,
          ...(signal ? { signal } : {}),
        });
        adminUrl = server.adminUrl;
        progress(`PostgreSQL ${server.version} (${server.provider}) for this run`);
        if (config.keep_failed) {
          progress(
            'keep_failed: this server stops when the run ends, and the kept clones with it; start one that stays with `venomqa db up`.',
          );
        }
      }
      engine = await SnapshotEngine.open({ adminUrl });
      withState = onFreshDatabase(engine);
    }

    for (const loaded of options.journeys) {
      throwIfAborted(signal);
      // fail_fast stops the run, not only the journey: later journeys are not started.
      if (config.fail_fast && results.some((r) => r.status === 'failed')) {
        progress(
          `fail_fast: not running the ${options.journeys.length - results.length} remaining journey(s)`,
        );
        break;
      }
      await withState(async (state) => {
        const runner = new JourneyRunner({
          config,
          target,
          ...(state ? { stateManager: state } : {}),
          ...(signal ? { signal } : {}),
          ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        });
        const result = await runner.run(loaded.journey);
        if (loaded.file) result.file = loaded.file;
        results.push(result);
      });
    }
    throwIfAborted(signal);
  } finally {
    await shared?.disconnect().catch((error: unknown) => debug('disconnecting: %o', error));
    await Promise.allSettled([target?.dispose?.(), engine?.close()]);
    await server?.stop().catch((error: unknown) => debug('stopping the server: %o', error));
  }
  const passed = results.filter((r) => r.status === 'passed').length;
  return {
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - began,
    journeys: results,
    passed,
    // A journey that did not pass (failed, or stopped part-way) counts as failed.
    failed: results.length - passed,
  };
}

/** Runs one journey with the state manager it gets, and cleans up after it. */
type JourneyState = (run: (state: StateManager | undefined) => Promise<void>) => Promise<void>;

/** The user's database (`db_url`): checkpoints copy it, and it is put back after each journey. */
function onUserDatabase(url: string, allowRemote: boolean): JourneyState {
  return async (run) => {
    const state = new TemplateStateManager({ connection_url: url, allow_remote: allowRemote });
    await state.connect();
    try {
      await run(state);
      await state.reset();
    } finally {
      await state.disconnect();
    }
  };
}

/** A new empty run-owned database per journey, dropped after it. */
function onFreshDatabase(engine: SnapshotEngine): JourneyState {
  return async (run) => {
    const working = await engine.createEmpty();
    const state = new TemplateStateManager({ connection_url: working.url });
    try {
      await state.connect();
      await run(state);
    } finally {
      try {
        await state.disconnect();
      } finally {
        await working.drop();
      }
    }
  };
}

/** The shared API's own database (or none), reset after each journey. */
function resettingAfter(state: StateManager | undefined): JourneyState {
  return async (run) => {
    await run(state);
    await state?.reset();
  };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RunInterruptedError();
}

/** The state backend of the API's own database, for a shared API; none without checkpoints. */
async function sharedState(options: RunJourneysOptions): Promise<StateManager | undefined> {
  const { config } = options;
  if (!options.journeys.some((j) => takesCheckpoints(j.journey))) return undefined;
  if (!config.db_url) {
    throw new RunnerConfigError(
      "The journeys take checkpoints, but api.mode is 'shared' and db_url is not set: venomqa cannot reach the API's database",
      {
        hint: 'Set db_url (or VENOMQA_DB_URL) to the database the API at base_url uses, or let venomqa start the API per path (api.mode: process or docker).',
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
  return registry.create(backend, {
    connection_url: config.db_url,
    allow_remote: config.safety.allow_remote,
    verbose: config.verbose,
  });
}
