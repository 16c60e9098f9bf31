import type { StateManager } from './state-manager.js';
import type { StateLogger } from './base-state-manager.js';

/**
 * What a backend is created with: the VenomQA option names the built-in backends understand,
 * plus whatever a plugin documents.
 */
export interface StateBackendOptions {
  connection_url?: string;
  tables_to_reset?: readonly string[];
  exclude_tables?: readonly string[];
  key_prefix?: string;
  /** Seconds `reset()` waits for a table lock before naming who holds it. */
  lock_timeout?: number;
  /** Allow a non-loopback server (`postgresql`: the config's `safety.allow_remote`). */
  allow_remote?: boolean;
  verbose?: boolean;
  logger?: StateLogger;
  [option: string]: unknown;
}

/** Makes a backend from its options; may be async. */
export type StateBackendFactory = (
  options: StateBackendOptions,
) => StateManager | Promise<StateManager>;

/** Where a registered backend comes from. */
export type StateBackendSource = 'builtin' | 'code' | 'config' | 'package';

/** A registered backend, as `StateBackendRegistry.describe` reports it. */
export interface StateBackendInfo {
  name: string;
  source: StateBackendSource;
  /** For plugins: the module as written, and its export. */
  module?: string;
  exportName?: string;
  /** For installed packages: the declaring package. */
  packageName?: string;
}

/** A registration that lost to a stronger one of the same name (see backend-precedence). */
export interface ShadowedStateBackend {
  shadowed: StateBackendInfo;
  by: StateBackendInfo;
}
