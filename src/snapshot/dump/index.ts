export {
  exportSnapshot,
  type ExportSnapshotOptions,
  type ExportSnapshotResult,
} from './export-snapshot.js';
export { importSnapshot, type ImportSnapshotResult } from './import-snapshot.js';
export type { DumpOptions } from './tools-for-server.js';
export {
  locatePgTools,
  DEBIAN_POSTGRES_ROOT,
  type LocatePgToolsOptions,
  type DockerToolsOptions,
} from './locate-pg-tools.js';
export type { PgTools } from './pg-tools.js';
export { LocalPgTools } from './local-pg-tools.js';
export { DockerPgTools } from './docker-pg-tools.js';
export { toolConnection, type ToolConnection } from './tool-connection.js';
export { readDumpArchiveHeader, type DumpArchiveHeader } from './dump-archive-header.js';
export { metadataPathFor, type ExportMetadata } from './export-metadata.js';
export * from './pg-dump-errors.js';
