import type { ResolvedConfig } from '../config/schema.js';
import type { StateBackendRegistry } from '../state/backend-registry.js';
import { createStateBackendRegistry } from '../state/create-state-backend-registry.js';

/**
 * Checks `db_backend` before anything starts, whatever the API mode: an unknown name fails
 * with `UnknownStateBackendError` (exit 2) listing the registered backends, and a plugin that
 * cannot be imported or does not implement the protocol with `StateBackendInvalidError`.
 * Returns the registry, so the caller creates the backend from it.
 *
 * @example
 * ```ts
 * const registry = await checkStateBackend(config, cwd);
 * const state = await registry.create(config.db_backend, stateBackendOptions(config));
 * ```
 */
export async function checkStateBackend(
  config: Pick<ResolvedConfig, 'db_backend' | 'state_backends' | 'config_file'>,
  cwd: string,
): Promise<StateBackendRegistry> {
  const registry = await createStateBackendRegistry({ cwd, config });
  await registry.resolve(config.db_backend);
  return registry;
}
