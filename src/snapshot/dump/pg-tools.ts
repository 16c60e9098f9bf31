import type { ToolConnection } from './tool-connection.js';

/**
 * pg_dump and pg_restore of one PostgreSQL version, wherever they run (a local directory, or a
 * container). Both take the password from the environment, never from their command line.
 */
export interface PgTools {
  /** Where they run, for messages: `/usr/lib/postgresql/17/bin`, `docker image venomqa/postgres:17`. */
  readonly where: string;
  /** `17.6`. */
  readonly version: string;
  readonly major: number;
  /** Write a custom-format dump of the connection's database to `file` (created or truncated). */
  dump(connection: ToolConnection, file: string, signal?: AbortSignal): Promise<void>;
  /** Load the custom-format dump in `file` into the connection's (empty) database. */
  restore(connection: ToolConnection, file: string, signal?: AbortSignal): Promise<void>;
}

/**
 * Portable dumps: no ownership or privileges, which name roles that the importing server may
 * not have. The custom format is compressed, and pg_restore can list and reorder it.
 */
export const PG_DUMP_ARGS = ['--format=custom', '--no-owner', '--no-acl'] as const;

/** Stop at the first error, so a half-restored database never becomes a snapshot. */
export const PG_RESTORE_ARGS = ['--no-owner', '--no-acl', '--exit-on-error'] as const;

/**
 * The version `pg_dump --version` prints: `pg_dump (PostgreSQL) 17.6 (Debian 17.6-1.pgdg13+1)`,
 * `pg_dump (PostgreSQL) 18beta1`. Undefined for anything else.
 */
export function parseToolVersion(text: string): { version: string; major: number } | undefined {
  const match = /\(PostgreSQL\)\s+((\d+)(?:\.\d+)*\S*)/.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  return { version: match[1], major: Number(match[2]) };
}

/** `server_version_num` (170006) as `17.6`. */
export function formatServerVersion(versionNum: number): string {
  return `${Math.floor(versionNum / 10000)}.${versionNum % 10000}`;
}
