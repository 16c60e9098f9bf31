import { Option } from 'commander';
import type { ResolvedConfig } from '../config/index.js';
import { NoDatabaseError } from './cli-errors.js';
import { ManagedDatabase, parsePostgresUrl } from '../server/index.js';
import { SnapshotEngine, adminUrlFor } from '../snapshot/index.js';

/** `--allow-remote`: with `safety.allow_remote`, lets destructive verbs reach a remote server. */
export const allowRemoteOption = new Option(
  '--allow-remote',
  'allow a non-loopback server (needs safety.allow_remote too)',
);

/**
 * Whether this command may touch a non-loopback server: only with both `safety.allow_remote`
 * in the config and `--allow-remote` on the command line, one alone is not enough.
 */
export function allowRemote(config: ResolvedConfig, flags: { allowRemote?: boolean }): boolean {
  return config.safety.allow_remote && flags.allowRemote === true;
}

/** The clone engine on the project's server, and the database the snapshot commands work on. */
export interface ProjectSnapshotEngine {
  engine: SnapshotEngine;
  /**
   * The database the command works on: `--db`, else the configured working database. A restore
   * may replace it only when it is the configured one or venomqa created it.
   */
  workingDatabase: string;
}

/** The project's database: `db_url` (VENOMQA_DB_URL) when set, else the managed `venomqa db`. */
export async function projectDatabaseUrl(
  config: ResolvedConfig,
  cwd: string,
): Promise<string | undefined> {
  if (config.db_url) return config.db_url;
  const state = await new ManagedDatabase(config, cwd).readState();
  return state ? ManagedDatabase.urlOf(state) : undefined;
}

/**
 * The snapshot commands work on `db_url` (VENOMQA_DB_URL) when set, else on the managed
 * `venomqa db`. The engine itself connects to the server's maintenance database (`postgres`, or
 * `template1` when the working database is `postgres`), never to the working database.
 */
export async function openProjectSnapshotEngine(
  config: ResolvedConfig,
  cwd: string,
  options: { allowRemote: boolean; database?: string },
): Promise<ProjectSnapshotEngine> {
  const url = await projectDatabaseUrl(config, cwd);
  if (!url) {
    throw new NoDatabaseError(
      'No database to snapshot: db_url is not set and no managed database runs',
      {
        hint: 'Set VENOMQA_DB_URL (or db_url in venomqa.yaml), or start one with `venomqa db up`.',
      },
    );
  }
  const configured = parsePostgresUrl(url).database;
  const database = options.database ?? configured;
  const engine = await SnapshotEngine.open({
    // Kept off the database the command works on (`--db postgres` gets template1).
    adminUrl: adminUrlFor(url, database),
    // The configured one, not `--db`: a database named on the command line may be snapshotted,
    // but replaced only when venomqa created it (else `--db postgres` replaced postgres).
    workingDatabase: configured,
    allowRemote: options.allowRemote,
  });
  return { engine, workingDatabase: database };
}
