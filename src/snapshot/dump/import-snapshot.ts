import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SnapshotEngine } from '../snapshot-engine.js';
import { SnapshotExistsError, SnapshotNotFoundError } from '../snapshot-errors.js';
import { validateSnapshotName } from '../snapshot-names.js';
import { readDumpArchiveHeader, type DumpArchiveHeader } from './dump-archive-header.js';
import { readExportMetadata, type ExportMetadata } from './export-metadata.js';
import { toolConnection } from './tool-connection.js';
import { toolsForServer, type DumpOptions } from './tools-for-server.js';

export interface ImportSnapshotResult {
  name: string;
  /** The physical snapshot database. */
  database: string;
  file: string;
  /** The sidecar's catalog entry of the exported snapshot, when there was one. */
  exported: ExportMetadata['snapshot'] | null;
  archive: DumpArchiveHeader;
  pgRestore: { version: string; where: string };
  ms: number;
}

/**
 * Create the snapshot `name` from a pg_dump custom-format archive (one written by
 * {@link exportSnapshot}, or any `pg_dump --format=custom` file). A snapshot by that name must
 * not exist: import never replaces one.
 *
 * The archive is restored (`--no-owner --no-acl --exit-on-error`) into an empty database owned
 * by this run, which is then snapshotted and dropped; if anything fails, no snapshot appears and
 * the temporary database is dropped (or, if the process dies, pruned). pg_restore must be at
 * least as new as both the server and the pg_dump that wrote the archive (its header says which).
 *
 * @example
 * await importSnapshot(engine, 'ci-state.dump', 'ci-failure');
 * await engine.restore('app', 'ci-failure');
 */
export async function importSnapshot(
  engine: SnapshotEngine,
  file: string,
  name: string,
  options: DumpOptions = {},
): Promise<ImportSnapshotResult> {
  const started = performance.now();
  validateSnapshotName(name);
  const source = resolve(file);
  const archive = await readDumpArchiveHeader(source);
  const metadata = await readExportMetadata(source, { bytes: (await stat(source)).size });

  // Checked again, atomically, when the snapshot is created; this saves a restore that would
  // only fail at the end.
  const existing = await engine.resolveSnapshot(name).then(
    () => true,
    (error: unknown) => {
      if (error instanceof SnapshotNotFoundError) return false;
      throw error;
    },
  );
  if (existing) {
    throw new SnapshotExistsError(`Snapshot '${name}' exists already`, {
      hint: `Import under another name, or delete it first (\`venomqa snapshot delete ${name} --force\`).`,
    });
  }

  const tools = await toolsForServer(engine, options, archive);
  const temp = await engine.createEmpty();
  let database: string;
  try {
    await tools.restore(toolConnection(temp.url), source, options.signal);
    ({ physical: database } = await engine.snapshot(temp.database, name, {
      source: pathToFileURL(source).href,
    }));
  } finally {
    await temp.drop();
  }
  return {
    name,
    database,
    file: source,
    exported: metadata?.snapshot ?? null,
    archive,
    pgRestore: { version: tools.version, where: tools.where },
    ms: Math.round(performance.now() - started),
  };
}
