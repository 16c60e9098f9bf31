import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { commandArgv } from '../api/command-line.js';
import type { ResolvedConfig } from '../config/schema.js';
import { PSQL_INSTALL_HINT } from '../snapshot/dump/pg-dump-errors.js';
import { findPsql } from '../snapshot/dump/psql.js';
import { fail, ok, skip, warn, type DoctorCheck } from './doctor-check.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The oldest Node venomqa supports (package.json `engines`). */
const NODE_MIN = [20, 19] as const;

export function nodeCheck(version = process.versions.node): DoctorCheck {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const fits = major > NODE_MIN[0] || (major === NODE_MIN[0] && minor >= NODE_MIN[1]);
  return fits
    ? ok('node', `Node ${version}`)
    : fail(
        'node',
        `Node ${version} is older than ${NODE_MIN.join('.')}, the oldest venomqa runs on`,
        'Install Node 20.19 or newer (`nvm install 22`, or your distribution’s nodejs package).',
      );
}

/** psql, which `venomqa db psql` opens: only that command needs it. */
export async function psqlCheck(env: Env): Promise<DoctorCheck> {
  const { file, looked } = await findPsql(env);
  if (file) return ok('psql', `psql at ${file} (for \`venomqa db psql\`)`);
  const where = env.VENOMQA_PG_BIN?.trim()
    ? `in VENOMQA_PG_BIN (${looked.join(', ')})`
    : `on PATH (looked in ${looked.join(', ') || 'an empty PATH'})`;
  return warn('psql', `psql is not ${where}; \`venomqa db psql\` needs it`, PSQL_INSTALL_HINT);
}

/**
 * `api.command`'s program, where venomqa will look for it: a path relative to the config's
 * folder, `node_modules/.bin` of that folder or a parent (as npm scripts see it), or `PATH`.
 */
export async function apiCommandCheck(
  config: ResolvedConfig,
  cwd: string,
  env: Env,
): Promise<DoctorCheck> {
  if (config.api.mode === 'shared')
    return skip('api-command', 'api.mode shared: venomqa starts no API');
  if (config.api.mode === 'docker')
    return skip('api-command', 'api.mode docker: the API runs from its image');
  if (config.api.command === null) {
    return config.api.mode === 'auto' && config.api.image !== null
      ? skip(
          'api-command',
          'api.mode auto with api.image: the API runs from its image when Docker answers',
        )
      : fail(
          'api-command',
          `api.mode ${config.api.mode} but api.command is not set`,
          'Set api.command in venomqa.yaml (`venomqa init` writes one from package.json).',
        );
  }
  let program: string;
  try {
    [program = ''] = commandArgv(config.api.command);
  } catch (error) {
    return fail(
      'api-command',
      (error as Error).message,
      'Write api.command as a list, such as [node, server.js].',
    );
  }
  const baseDir = config.config_file ? path.dirname(config.config_file) : cwd;
  const found = await locateProgram(program, baseDir, env);
  return found
    ? ok('api-command', `\`${program}\` found at ${found}`)
    : fail(
        'api-command',
        `\`${program}\` (the first word of api.command) is not in ${baseDir}, any node_modules/.bin above it, or on PATH`,
        program.startsWith('.') || program.includes('/')
          ? `Check the path in api.command; it is relative to ${baseDir}.`
          : 'Install the project’s dependencies (`npm ci`), or fix api.command.',
      );
}

async function locateProgram(
  program: string,
  baseDir: string,
  env: Env,
): Promise<string | undefined> {
  if (program.includes('/')) {
    const file = path.resolve(baseDir, program);
    return (await runnable(file, constants.F_OK)) ? file : undefined;
  }
  const dirs: string[] = [];
  for (let dir = baseDir; ; dir = path.dirname(dir)) {
    dirs.push(path.join(dir, 'node_modules', '.bin'));
    if (path.dirname(dir) === dir) break;
  }
  dirs.push(...(env.PATH ?? '').split(path.delimiter).filter(Boolean));
  for (const dir of dirs) {
    const file = path.join(dir, program);
    if (await runnable(file, constants.X_OK)) return file;
  }
  return undefined;
}

function runnable(file: string, mode: number): Promise<boolean> {
  return access(file, mode).then(
    () => true,
    () => false,
  );
}
