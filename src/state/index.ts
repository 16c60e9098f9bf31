// venomqa/state (VenomQA's `venomqa.state`): the StateManager protocol, the built-in backends,
// and the registry that maps `db_backend` names to backends and plugins. Each backend's client
// (pg, mysql2, ioredis) loads when it connects.
export {
  isStateManager,
  type BranchingStateManager,
  type ForkableStateManager,
  type StateManager,
} from './state-manager.js';
export {
  BaseStateManager,
  type CheckpointOrder,
  type StateLogger,
  type StateManagerOptions,
} from './base-state-manager.js';
export type {
  BranchableDatabase,
  PathDatabase,
  SlotDatabase,
  OccupyResult,
} from './branchable-database.js';
export {
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
  type CompositePartFailure,
} from './state-errors.js';
export {
  TemplateStateManager,
  type TemplateStateManagerOptions,
} from './template-state-manager.js';
export {
  PostgreSQLStateManager,
  type PostgreSQLStateManagerOptions,
} from './postgres-savepoint-state-manager.js';
export { MySQLStateManager, type MySQLStateManagerOptions } from './mysql-state-manager.js';
export { RedisStateManager, type RedisStateManagerOptions } from './redis-state-manager.js';
export { CompositeStateManager } from './composite-state-manager.js';
export { StateBackendRegistry } from './backend-registry.js';
export {
  createStateBackendRegistry,
  type CreateStateBackendRegistryOptions,
} from './create-state-backend-registry.js';
export type {
  ShadowedStateBackend,
  StateBackendFactory,
  StateBackendInfo,
  StateBackendOptions,
  StateBackendSource,
} from './state-backend.js';
