import { Option } from 'commander';
import type { ResolvedConfig } from '../config/index.js';
import { NoDatabaseError } from './cli-errors.js';
import { ManagedDatabase, parsePostgresUrl, withDatabase } from '../server/index.js';
import { SnapshotEngine } from '../snapshot/index.js';

/** `--allow-remote`: with `safety.allow_remote`, lets destructive verbs reach a remote server. */
export const allowRemote = new Option(
  '--allow-remote',
  'allow a non-loopback server (needs safety.allow_remote too)',
);

export interface SnapshotTarget {
  engine: SnapshotEngine;
  /** The working database: `--db` defaults to it, and a restore may replace it. */
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
 * `venomqa db`. The engine itself connects to the server's `postgres` maintenance database,
 * never to the working database or a template.
 */
export async function openSnapshotEngine(
  config: ResolvedConfig,
  cwd: string,
  options: { allowRemoteFlag: boolean; database?: string },
): Promise<SnapshotTarget> {
  const url = await projectDatabaseUrl(config, cwd);
  if (!url) {
    throw new NoDatabaseError(
      'No database to snapshot: db_url is not set and no managed database runs',
      {
        hint: 'Set VENOMQA_DB_URL (or db_url in venomqa.yaml), or start one with `venomqa db up`.',
      },
    );
  }
  const workingDatabase = options.database ?? parsePostgresUrl(url).database;
  const engine = await SnapshotEngine.open({
    adminUrl: withDatabase(url, 'postgres'),
    workingDatabase,
    // Remote servers need both the config and the flag: one alone is not enough.
    allowRemote: config.safety.allow_remote && options.allowRemoteFlag,
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
