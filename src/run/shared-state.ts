import type { ResolvedConfig } from '../config/schema.js';
import { takesCheckpoints, type JourneyNode } from '../journey/journey-nodes.js';
import { RunnerConfigError } from '../runner/runner-errors.js';
import { chooseStrategy } from '../state/choose-strategy.js';
import { createStateBackendRegistry } from '../state/create-state-backend-registry.js';
import type { StateManager } from '../state/state-manager.js';
import { stateBackendOptions } from './state-backend-options.js';

/**
 * The state backend of a shared API's own database (`db_url`), or none when no journey takes
 * checkpoints. SAVEPOINTs are refused: the API writes through its own connections, which a
 * SAVEPOINT on venomqa's connection cannot roll back (DESIGN point 4).
 */
export async function sharedState(
  config: ResolvedConfig,
  journeys: readonly JourneyNode[],
  cwd: string,
  onProgress: (line: string) => void,
): Promise<StateManager | undefined> {
  if (!journeys.some((journey) => takesCheckpoints(journey))) return undefined;
  if (!config.db_url) {
    throw new RunnerConfigError(
      "The journeys take checkpoints, but api.mode is 'shared' and db_url is not set: venomqa cannot reach the API's database",
      {
        hint: 'Set db_url (or VENOMQA_DB_URL) to the database the API at base_url uses, or let venomqa start the API (api.mode: process or docker).',
      },
    );
  }
  const registry = await createStateBackendRegistry({ cwd, config });
  const backend = config.db_backend;
  const reason =
    backend === 'postgresql'
      ? await chooseStrategy(config.strategy, config.db_url)
      : { strategy: backend === 'postgresql-savepoint' ? 'savepoint' : 'other', reason: '' };
  if (reason.strategy === 'savepoint') {
    throw new RunnerConfigError(
      `A shared API cannot be tested with SAVEPOINTs: it writes through its own connections, which SAVEPOINTs on venomqa's connection cannot roll back${reason.reason ? ` (${reason.reason})` : ''}`,
      {
        hint: 'Give the db_url role CREATEDB and use db_backend: postgresql (template clones restore the database the API really uses), or use PostgreSQLStateManager in code with an in-process app that shares its connection.',
      },
    );
  }
  if (reason.reason) onProgress(reason.reason);
  return registry.create(backend, stateBackendOptions(config));
}
