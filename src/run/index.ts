// venomqa/run: what `venomqa run` and `venomqa prune` do, as functions. Light to import: the
// servers, clone engine, targets and state backends behind them load on the first call.
import type { PruneLeftoversOptions, PruneLeftoversResult } from './prune-leftovers.js';
import type { RunJourneysOptions } from './run-journeys.js';
import type { RunResult } from '../result/run-result.js';

export { loadJourneys, type LoadedJourney } from './load-journeys.js';
export { JourneyLoadError } from './run-errors.js';
export type { PruneLeftoversOptions, PruneLeftoversResult, RunJourneysOptions };

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
