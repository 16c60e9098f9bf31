// venomqa/snapshot: the clone engine (snapshot, clone, restore by swap, drop, list, prune) and
// snapshot files.
export {
  SnapshotEngine,
  type Clone,
  type PruneOptions,
  type PruneResult,
  type RestoreResult,
  type SnapshotEngineOptions,
  type SnapshotListing,
} from './snapshot-engine.js';
export type { CloneStrategy } from './clone-strategy.js';
export { findKeptClone, type KeptClone } from './kept-clones.js';
export { validateSnapshotName, type DatabaseKind } from './snapshot-names.js';
export {
  CreateDatabasePrivilegeError,
  DatabaseInUseError,
  DatabaseNotFoundError,
  DiskFullError,
  InvalidNameError,
  KeptCloneNotFoundError,
  ProtectedDatabaseError,
  SnapshotExistsError,
  SnapshotNotFoundError,
  type BlockingSession,
} from './snapshot-errors.js';
export {
  DumpFileError,
  DumpFileExistsError,
  PgDumpUnavailableError,
  PgToolFailedError,
  PsqlNotFoundError,
  PSQL_INSTALL_HINT,
  exportSnapshot,
  findPsql,
  runPsql,
  type RunPsqlOptions,
  importSnapshot,
  type DockerToolsOptions,
  type DumpArchiveHeader,
  type DumpOptions,
  type ExportMetadata,
  type ExportSnapshotOptions,
  type ExportSnapshotResult,
  type ImportSnapshotResult,
  type LocatePgToolsOptions,
  type PgTools,
  type PgToolsCandidate,
} from './dump/index.js';
export { adminUrlFor, maintenanceDatabaseFor } from './maintenance-database.js';
