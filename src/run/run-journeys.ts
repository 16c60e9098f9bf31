import type { ResolvedConfig } from '../config/schema.js';
import type { RunResult } from '../result/run-result.js';
import type { RunnerEvent } from '../runner/journey-runner.js';
import type { LoadedJourney } from './load-journeys.js';
import { RunSession, notStarted } from './run-session.js';
import type { ShardPlan } from './shard-plan.js';

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
   * `--shard i/n`: run only this shard's paths (`planShard`); the others are reported as
   * skipped, "in another shard", and `mergeReports` puts the shards' reports back together.
   */
  shard?: ShardPlan;
  /**
   * Ctrl-C: the run stops and releases everything, and resolves with what ran (`interrupted`:
   * the journey stopped part-way has its unfinished items skipped, later ones are skipped).
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
  const startedAt = new Date();
  const began = performance.now();
  let session: RunSession;
  try {
    session = await RunSession.open({
      config: options.config,
      journeys: options.journeys,
      cwd: options.cwd,
      server: options.server,
      rebuildSetup: options.rebuildSetup ?? false,
      signal: options.signal,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  } catch (error) {
    // Stopped while the server, the API or the setup started: nothing ran, all is skipped.
    if (!options.signal?.aborted) throw error;
    const journeys = options.journeys.map((loaded) =>
      notStarted(loaded, options.config, options.config.api.mode),
    );
    return {
      startedAt: startedAt.toISOString(),
      durationMs: performance.now() - began,
      journeys,
      passed: 0,
      failed: 0,
      interrupted: true,
    };
  }
  try {
    return await session.run(options.journeys, {
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.shard ? { shard: options.shard } : {}),
    });
  } finally {
    await session.close();
  }
}
