// Snapshot files (`venomqa snapshot export|import`), re-exported by venomqa/snapshot. pg_dump
// and pg_restore are found (or run in Docker) only when a file is written or read, so these
// entry points load their tools, execa and dockerode on the first call.
import type { SnapshotEngine } from '../snapshot-engine.js';
import type { ExportSnapshotOptions, ExportSnapshotResult } from './export-snapshot.js';
import type { ImportSnapshotResult } from './import-snapshot.js';
import type { DumpOptions } from './tools-for-server.js';

export type { DumpOptions, ExportSnapshotOptions, ExportSnapshotResult, ImportSnapshotResult };
export type { DockerToolsOptions, LocatePgToolsOptions } from './locate-pg-tools.js';
export type { PgTools } from './pg-tools.js';
export type { ExportMetadata } from './export-metadata.js';
export type { DumpArchiveHeader } from './dump-archive-header.js';
export {
  DumpFileError,
  DumpFileExistsError,
  PgDumpUnavailableError,
  PgToolFailedError,
  PsqlNotFoundError,
  PSQL_INSTALL_HINT,
  type PgToolsCandidate,
} from './pg-dump-errors.js';
export { findPsql, runPsql, type RunPsqlOptions } from './psql.js';

/**
 * Write the snapshot `name` to `file` (pg_dump custom format) and its catalog entry to
 * `<file>.json`; see `venomqa snapshot export --help` for where pg_dump comes from.
 *
 * @example
 * await exportSnapshot(engine, 'order_created', 'ci-state.dump');
 */
export async function exportSnapshot(
  engine: SnapshotEngine,
  name: string,
  file: string,
  options: ExportSnapshotOptions = {},
): Promise<ExportSnapshotResult> {
  const { exportSnapshot: write } = await import('./export-snapshot.js');
  return write(engine, name, file, options);
}

/**
 * Create the snapshot `name` from a pg_dump custom-format archive (one written by
 * {@link exportSnapshot}, or any `pg_dump --format=custom` file); never replaces a snapshot.
 *
 * @example
 * await importSnapshot(engine, 'ci-state.dump', 'ci-failure');
 */
export async function importSnapshot(
  engine: SnapshotEngine,
  file: string,
  name: string,
  options: DumpOptions = {},
): Promise<ImportSnapshotResult> {
  const { importSnapshot: read } = await import('./import-snapshot.js');
  return read(engine, file, name, options);
}
