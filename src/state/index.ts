// The public face of the state layer: the StateManager protocol, its backends and the registry.
export {
  BaseStateManager,
  STATE_MANAGER_METHODS,
  isBranchingStateManager,
  isForkableStateManager,
  isStateManager,
  missingStateManagerMethods,
  stderrStateLogger,
} from './state-manager.js';
export type { BranchableDatabase, PathDatabase } from './branchable-database.js';
export type {
  BranchingStateManager,
  CheckpointOrder,
  ForkableStateManager,
  StateLogger,
  StateManager,
  StateManagerOptions,
} from './state-manager.js';
export {
  CHECKPOINT_PREFIX,
  MAX_CHECKPOINT_NAME_LENGTH,
  checkpointSavepointName,
  validateCheckpointName,
} from './checkpoint-name.js';
export {
  CheckpointNotFoundError,
  CompositeStateError,
  InvalidCheckpointNameError,
  StateBackendInvalidError,
  StateConfigError,
  StateConnectionError,
  StateNotConnectedError,
  UnknownStateBackendError,
} from './state-errors.js';
export type { CompositePartFailure } from './state-errors.js';
export { MIGRATION_TABLES, tablesToReset } from './tables-to-reset.js';
export type { TablesToResetOptions } from './tables-to-reset.js';
export { PostgreSQLStateManager } from './postgres-savepoint-state-manager.js';
export type { PostgreSQLStateManagerOptions } from './postgres-savepoint-state-manager.js';
export { MySQLStateManager } from './mysql-state-manager.js';
export type { MySQLStateManagerOptions } from './mysql-state-manager.js';
export { MYSQL_URL_OPTIONS, parseMySQLUrl } from './mysql-url.js';
export type { MySQLConnectionSettings } from './mysql-url.js';
export { RedisStateManager, redisMatchPattern } from './redis-state-manager.js';
export type { RedisStateManagerOptions } from './redis-state-manager.js';
export { CompositeStateManager } from './composite-state-manager.js';
export {
  BUILTIN_STATE_BACKENDS,
  StateBackendRegistry,
  createStateBackendRegistry,
} from './backend-registry.js';
export type {
  CreateStateBackendRegistryOptions,
  ShadowedStateBackend,
  StateBackendFactory,
  StateBackendInfo,
  StateBackendOptions,
  StateBackendSource,
} from './backend-registry.js';
export { findInstalledStateBackends } from './installed-state-backends.js';
export type { InstalledStateBackend } from './installed-state-backends.js';
export { parsePluginReference } from './plugin-module.js';
export type { PluginReference } from './plugin-module.js';
export {
  TemplateStateManager,
  type TemplateStateManagerOptions,
} from './template-state-manager.js';
export { chooseStrategy, type StrategyChoice } from './choose-strategy.js';
export { stateBackendOptions } from './backend-options.js';
export { checkStateBackend } from './check-state-backend.js';
