import { Option } from 'commander';
import type { ResolvedConfig } from '../config/schema.js';
import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError } from '../errors/venomqa-error.js';
import { ManagedDatabase } from '../server/managed-database.js';
import { parsePostgresUrl } from '../server/postgres-url.js';
import { adminUrlFor } from '../snapshot/maintenance-database.js';
import { SnapshotEngine } from '../snapshot/snapshot-engine.js';

/** `--allow-remote`: with `safety.allow_remote`, lets destructive verbs reach a remote server. */
export const allowRemote = new Option(
  '--allow-remote',
  'allow a non-loopback server (needs safety.allow_remote too)',
);

/** No database to work on: neither db_url nor a running `venomqa db up`. */
export class NoDatabaseError extends VenomQAError {
  readonly code = 'VENOMQA_NO_DATABASE';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
}

export interface SnapshotTarget {
  engine: SnapshotEngine;
  /** The configured working database: `--db` defaults to it, and a restore may replace it. */
  workingDatabase: string;
}

/**
 * The snapshot commands work on `db_url` (VENOMQA_DB_URL) when set, else on the managed
 * `venomqa db`. The engine itself connects to the server's maintenance database (`postgres`, or
 * `template1` when the working database is `postgres`), never to the working database.
 */
export async function openSnapshotEngine(
  config: ResolvedConfig,
  cwd: string,
  options: { allowRemoteFlag: boolean; database?: string; runId?: string },
): Promise<SnapshotTarget> {
  let url = config.db_url;
  if (!url) {
    const state = await new ManagedDatabase(config, cwd).readState();
    if (state) url = ManagedDatabase.urlOf(state);
  }
  if (!url) {
    throw new NoDatabaseError(
      'No database to snapshot: db_url is not set and no managed database runs',
      {
        hint: 'Set VENOMQA_DB_URL (or db_url in venomqa.yaml), or start one with `venomqa db up`.',
      },
    );
  }
  const workingDatabase = parsePostgresUrl(url).database;
  const engine = await SnapshotEngine.open({
    // Kept off the database the command works on (`--db postgres` gets template1).
    adminUrl: adminUrlFor(url, options.database ?? workingDatabase),
    // The configured one, not `--db`: a database named on the command line may be snapshotted,
    // but replaced only when venomqa created it (else `--db postgres` replaced postgres).
    workingDatabase,
    // Remote servers need both the config and the flag: one alone is not enough.
    allowRemote: config.safety.allow_remote && options.allowRemoteFlag,
    ...(options.runId ? { runId: options.runId } : {}),
  });
  return { engine, workingDatabase };
}

/** `2h`, `30m`, `45s`, `1d` → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) throw new Error(`'${text}' is not a duration such as 30m, 2h or 1d`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms'];
  return Number(match[1]) * unit;
}
