import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { PsqlNotFoundError } from './pg-dump-errors.js';
import { toolConnection } from './tool-connection.js';

/**
 * The psql `venomqa db psql` opens: `VENOMQA_PG_BIN/psql` when that variable is set, else the
 * first on `PATH` (what typing `psql` would run). Undefined when there is none; `looked` says
 * where it was looked for.
 *
 * @example
 * ```ts
 * const { file } = await findPsql(process.env);
 * ```
 */
export async function findPsql(
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ file: string | undefined; looked: string[] }> {
  const explicit = env.VENOMQA_PG_BIN?.trim();
  const dirs = explicit
    ? [resolve(explicit)]
    : (env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const dir of dirs) {
    const file = join(dir, 'psql');
    const runnable = await access(file, constants.X_OK).then(
      () => true,
      () => false,
    );
    if (runnable) return { file, looked: dirs };
  }
  return { file: undefined, looked: dirs };
}

export interface RunPsqlOptions {
  /** Passed to psql after the connection (`-c 'select 1'`, `-f script.sql`). */
  args?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Run psql on the database `url` names, attached to this terminal, and resolve with its exit
 * code. The password goes to psql through `PGPASSWORD`, never its command line (which `ps`
 * shows everyone). Throws {@link PsqlNotFoundError} with how to install it.
 */
export async function runPsql(url: string, options: RunPsqlOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const { file, looked } = await findPsql(env);
  if (file === undefined) throw new PsqlNotFoundError(looked);
  const connection = toolConnection(url);
  const child = spawn(file, ['--dbname', connection.dbname, ...(options.args ?? [])], {
    stdio: 'inherit',
    env: { ...env, ...connection.env },
  });
  return new Promise((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolvePromise(code ?? (signal ? 128 : 1)));
  });
}
