import type { SnapshotEngine } from '../snapshot-engine.js';
import { locatePgTools, type LocatePgToolsOptions } from './locate-pg-tools.js';
import { formatServerVersion, type PgTools } from './pg-tools.js';

/** What export and import take besides their arguments. */
export interface DumpOptions {
  /** Use these tools instead of locating them. */
  tools?: PgTools;
  /** How to locate them (env, Docker image, progress); the required version comes from the server. */
  locate?: Omit<LocatePgToolsOptions, 'requiredMajor' | 'purpose' | 'signal'>;
  signal?: AbortSignal;
}

/**
 * The given tools, or pg_dump/pg_restore located for the engine's server: at least its major
 * version, or `archiveMajor` when an archive to read was written by a newer pg_dump.
 */
export async function toolsForServer(
  engine: SnapshotEngine,
  options: DumpOptions,
  archive?: { pgDumpMajor: number | undefined; pgDumpVersion: string | undefined },
): Promise<PgTools> {
  if (options.tools) return options.tools;
  const serverMajor = Math.floor(engine.versionNum / 10000);
  const server = `the server (PostgreSQL ${formatServerVersion(engine.versionNum)})`;
  const archiveMajor = archive?.pgDumpMajor ?? 0;
  return locatePgTools({
    ...options.locate,
    requiredMajor: Math.max(serverMajor, archiveMajor),
    purpose:
      archiveMajor > serverMajor
        ? `an archive written by pg_dump ${archive?.pgDumpVersion ?? archiveMajor}`
        : server,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
