import type { ResolvedConfig } from '../config/schema.js';
import type { StateBackendOptions } from '../state/state-backend.js';

/**
 * The options a state backend is created with from the resolved config: `db_url` as
 * `connection_url`, the `state_options` mapping (`key_prefix`, `tables_to_reset`,
 * `exclude_tables`, `lock_timeout`), `verbose` and `safety.allow_remote`. Built-in backends
 * take the ones they know; plugins get all of them.
 *
 * @example
 * ```ts
 * const state = await registry.create(config.db_backend, stateBackendOptions(config));
 * ```
 */
export function stateBackendOptions(
  config: Pick<ResolvedConfig, 'db_url' | 'state_options' | 'verbose' | 'safety'>,
): StateBackendOptions {
  return {
    ...(config.db_url === null ? {} : { connection_url: config.db_url }),
    key_prefix: config.state_options.key_prefix,
    tables_to_reset: [...config.state_options.tables_to_reset],
    exclude_tables: [...config.state_options.exclude_tables],
    lock_timeout: config.state_options.lock_timeout,
    allow_remote: config.safety.allow_remote,
    verbose: config.verbose,
  };
}
