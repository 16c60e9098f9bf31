export {
  SnapshotEngine,
  type SnapshotEngineOptions,
  type SnapshotListing,
  type Clone,
  type RestoreResult,
  type PruneOptions,
  type PruneResult,
} from './snapshot-engine.js';
export { WarmPool } from './warm-pool.js';
export type { CloneStrategy } from './clone-strategy.js';
export * from './snapshot-errors.js';
export {
  validateSnapshotName,
  validateDatabaseName,
  PHYSICAL_PREFIX,
  type DatabaseKind,
} from './snapshot-names.js';
export { SafetyGuard, PROTECTED_DATABASES, isLoopbackHost } from './safety-guard.js';
