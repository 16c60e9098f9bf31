// venomqa/run: what `venomqa run` and `venomqa prune` do, as functions. Light to import: the
// servers, clone engine, targets and state backends behind them load on the first call.
import type { PruneLeftoversOptions, PruneLeftoversResult } from './prune-leftovers.js';
import type { RunJourneysOptions } from './run-journeys.js';
import type { WatchJourneysOptions } from './watch-journeys.js';
import type { RunResult } from '../result/run-result.js';

export { loadJourneys, type LoadedJourney } from './load-journeys.js';
export { JourneyLoadError, ServerLostError, ShardSpecError } from './run-errors.js';
export {
  IN_ANOTHER_SHARD,
  ShardPlan,
  parseShard,
  unitKey,
  type JourneyPart,
  type ShardSpec,
} from './shard-plan.js';
export { shardDurations } from './shard-durations.js';
export type {
  PruneLeftoversOptions,
  PruneLeftoversResult,
  RunJourneysOptions,
  WatchJourneysOptions,
};

/**
 * Run journeys the way `venomqa run` does: start what the config asks for (PostgreSQL, the API
 * per path), run each journey on a database of its own, and release everything in `finally`.
 *
 * @example
 * ```ts
 * const config = resolveConfig({ cwd: process.cwd(), env: process.env });
 * const journeys = await loadJourneys(['journeys'], process.cwd());
 * const result = await runJourneys({ config, journeys, cwd: process.cwd() });
 * ```
 */
export async function runJourneys(options: RunJourneysOptions): Promise<RunResult> {
  const { runJourneys: run } = await import('./run-journeys.js');
  return run(options);
}

/**
 * `venomqa run --watch`: run the journeys, then rerun those whose files change (all of them
 * when the API's code or `setup.inputs` change, with the slots' APIs restarted), keeping the
 * server, template and APIs up in between. Resolves once `signal` aborts and all is released.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * await watchJourneys({ config, entries: ['journeys'], cwd, signal: stop.signal,
 *   onRun: (result) => console.log(`${result.passed} passed`), onError: console.error });
 * ```
 */
export async function watchJourneys(options: WatchJourneysOptions): Promise<void> {
  const { watchJourneys: watch } = await import('./watch-journeys.js');
  return watch(options);
}

/**
 * Remove what dead runs left behind (`venomqa prune`): embedded clusters, containers and API
 * processes on this machine; run-owned clones and temporaries on the server at `databaseUrl`.
 *
 * @example
 * ```ts
 * const { databases } = await pruneLeftovers({ databaseUrl: process.env.DB_URL, dryRun: true });
 * ```
 */
export async function pruneLeftovers(
  options: PruneLeftoversOptions = {},
): Promise<PruneLeftoversResult> {
  const { pruneLeftovers: prune } = await import('./prune-leftovers.js');
  return prune(options);
}
export { stateBackendOptions } from './state-backend-options.js';
