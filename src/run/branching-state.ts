import type { ResolvedConfig } from '../config/schema.js';
import { RunnerConfigError } from '../runner/runner-errors.js';
import type { StateBackendRegistry } from '../state/backend-registry.js';
import { isBranchingStateManager, type StateManager } from '../state/state-manager.js';
import { TemplateStateManager } from '../state/template-state-manager.js';
import { stateBackendOptions } from './state-backend-options.js';

/** Built-in backends that roll back in place: they cannot give each path a database of its own. */
const IN_PLACE_BACKENDS = new Set(['postgresql-savepoint', 'mysql', 'mariadb', 'redis']);

/** Makes the state manager of one journey's database, when venomqa starts the API. */
export type BranchingStateFactory = (databaseUrl: string) => Promise<StateManager>;

/**
 * The state manager per journey when each path gets a database of its own (`api.mode`
 * process or docker): template clones for `db_backend: postgresql`, else the configured
 * backend, which must implement the branching contract (`workingDatabase` with checkpoint,
 * prewarm and clone; see the README's "Writing a backend"). A backend that can only roll back
 * in place (SAVEPOINT, MySQL, Redis) is refused before anything starts.
 */
export function branchingStateFactory(
  config: ResolvedConfig,
  registry: StateBackendRegistry,
): BranchingStateFactory {
  const backend = config.db_backend;
  if (backend === 'postgresql') {
    return (url) =>
      Promise.resolve(
        new TemplateStateManager({
          connection_url: url,
          allow_remote: config.safety.allow_remote,
        }),
      );
  }
  if (IN_PLACE_BACKENDS.has(backend)) throw cannotBranch(backend, config.api.mode);
  return async (url) => {
    const state = await registry.create(backend, {
      ...stateBackendOptions(config),
      connection_url: url,
    });
    if (!isBranchingStateManager(state)) throw cannotBranch(backend, config.api.mode);
    return state;
  };
}

function cannotBranch(backend: string, mode: string): RunnerConfigError {
  return new RunnerConfigError(
    `db_backend '${backend}' rolls back in place, but api.mode '${mode}' gives every path a database of its own, which needs a backend that clones (workingDatabase with checkpoint and clone)`,
    {
      hint: 'Use db_backend: postgresql (template clones), or api.mode: shared to run the paths one after another on one API; a plugin backend can implement BranchingStateManager (README, "Writing a backend").',
    },
  );
}
