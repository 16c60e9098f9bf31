import { access, constants } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { pgToolFailure } from './pg-dump-errors.js';
import { PG_DUMP_ARGS, PG_RESTORE_ARGS, parseToolVersion, type PgTools } from './pg-tools.js';
import { stderrTail, type ToolConnection } from './tool-connection.js';

/**
 * Probe a directory for pg_dump and pg_restore. Returns their version, or why they cannot be
 * used (missing, not executable, not answering `--version`).
 */
export async function probeToolDirectory(
  dir: string,
): Promise<{ version: string; major: number } | { problem: string }> {
  for (const tool of ['pg_dump', 'pg_restore']) {
    try {
      await access(join(dir, tool), constants.X_OK);
    } catch {
      return { problem: `no executable ${tool}` };
    }
  }
  const result = await execa(join(dir, 'pg_dump'), ['--version'], {
    reject: false,
    timeout: 10_000,
    stdin: 'ignore',
  });
  const parsed = result.exitCode === 0 ? parseToolVersion(result.stdout) : undefined;
  if (!parsed) {
    const said = (result.stderr || result.stdout).split('\n')[0]?.trim() ?? '';
    return {
      problem: `pg_dump --version did not answer with a version${said ? ` (${said})` : ''}`,
    };
  }
  return parsed;
}

/** pg_dump and pg_restore from a directory on this machine. */
export class LocalPgTools implements PgTools {
  readonly where: string;
  readonly version: string;
  readonly major: number;

  constructor(dir: string, version: { version: string; major: number }) {
    this.where = dir;
    this.version = version.version;
    this.major = version.major;
  }

  async dump(connection: ToolConnection, file: string, signal?: AbortSignal): Promise<void> {
    await this.#run(
      'pg_dump',
      [...PG_DUMP_ARGS, `--file=${resolve(file)}`, `--dbname=${connection.dbname}`],
      `database '${connection.database}'`,
      connection,
      signal,
    );
  }

  async restore(connection: ToolConnection, file: string, signal?: AbortSignal): Promise<void> {
    // An absolute path can never be mistaken for an option.
    await this.#run(
      'pg_restore',
      [...PG_RESTORE_ARGS, `--dbname=${connection.dbname}`, resolve(file)],
      `${resolve(file)} (into database '${connection.database}')`,
      connection,
      signal,
    );
  }

  async #run(
    tool: 'pg_dump' | 'pg_restore',
    args: string[],
    subject: string,
    connection: ToolConnection,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const result = await execa(join(this.where, tool), args, {
      env: connection.env,
      stdin: 'ignore',
      stdout: 'ignore',
      reject: false,
      ...(signal ? { cancelSignal: signal } : {}),
    });
    if (result.exitCode === 0) return;
    throw pgToolFailure(
      tool,
      this,
      subject,
      result.exitCode,
      stderrTail(result.stderr, connection),
    );
  }
}
