import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, chown, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { isProcessAlive, stopProcesses } from '../process-liveness.js';
import { RUN_ID } from '../run-id.js';
import { postgresServiceUser } from './postgres-os-user.js';
import { INSTALL_PGBOUNCER_HINT, PgBouncerError } from './pgbouncer-errors.js';
import type { PgBouncerProcess } from './pgbouncer-process.js';

/** Folders of PgBouncers started on this machine, so `prunePgBouncers` finds what a killed run left. */
export const PGBOUNCER_TEMP_PREFIX = 'venomqa-pgbouncer-';
const OWNER_FILE = 'venomqa-owner.json';

interface PgBouncerOwner {
  runId: string;
  ownerPid: number;
  pid: number;
}

/** `pgbouncer` on PATH, or where Debian's package puts it (/usr/sbin is not on a user's PATH). */
export async function findPgBouncerBinary(explicit?: string): Promise<string> {
  const candidates = explicit
    ? [explicit]
    : [
        ...(process.env.PATH ?? '').split(delimiter).filter(Boolean),
        '/usr/sbin',
        '/usr/local/sbin',
      ].map((dir) => join(dir, 'pgbouncer'));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there; try the next.
    }
  }
  throw new PgBouncerError(
    explicit
      ? `PgBouncer binary ${explicit} is missing or not executable`
      : 'PgBouncer is not installed: no pgbouncer on PATH, in /usr/sbin or in /usr/local/sbin',
    [],
    { hint: INSTALL_PGBOUNCER_HINT },
  );
}

/**
 * Run PgBouncer as a local process with the given configuration files (name → content; the
 * entry named `pgbouncer.ini` is the one it starts with, and `{dir}` in any content is replaced
 * by the folder they are written to). As root it runs as the `postgres` system user, because
 * PgBouncer refuses to run as root.
 */
export async function spawnLocalPgBouncer(
  files: Record<string, string>,
  binary?: string,
): Promise<PgBouncerProcess> {
  const executable = await findPgBouncerBinary(binary);
  const dir = await mkdtemp(join(tmpdir(), PGBOUNCER_TEMP_PREFIX));
  try {
    const runAs = await postgresServiceUser();
    for (const [name, content] of Object.entries(files)) {
      const path = join(dir, name);
      await writeFile(path, content.replaceAll('{dir}', dir), { mode: 0o600 });
      if (runAs) await chown(path, runAs.uid, runAs.gid);
    }
    if (runAs) await chown(dir, runAs.uid, runAs.gid);
    const child = spawn(
      executable,
      [...(runAs ? ['-u', runAs.name] : []), join(dir, 'pgbouncer.ini')],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const output: string[] = [];
    child.stderr.on('data', (chunk: Buffer) => {
      output.push(...chunk.toString().split('\n').filter(Boolean));
      output.splice(0, Math.max(0, output.length - 200));
    });
    let exited = false;
    child.once('exit', () => (exited = true));
    const spawned = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid ?? 0));
      child.once('error', reject);
    });
    const owner: PgBouncerOwner = { runId: RUN_ID, ownerPid: process.pid, pid: spawned };
    await writeFile(join(dir, OWNER_FILE), JSON.stringify(owner));
    let stopped: Promise<void> | undefined;
    return {
      description: `PgBouncer (pid ${spawned})`,
      exited: () => exited,
      logs: (count = 50) => output.slice(-count),
      stop() {
        stopped ??= (async () => {
          // SIGTERM is PgBouncer's immediate shutdown; SIGINT would wait for clients.
          await stopProcesses([spawned], 5000, 'SIGTERM');
          await rm(dir, { recursive: true, force: true });
        })();
        return stopped;
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if (error instanceof PgBouncerError) throw error;
    throw new PgBouncerError(`Starting PgBouncer (${executable}) failed`, [], {
      cause: error,
      hint: INSTALL_PGBOUNCER_HINT,
    });
  }
}

/**
 * Local PgBouncers whose run is gone (killed with SIGKILL, so its `finally` never ran): each is
 * stopped and its folder removed. Those of live processes are left alone.
 *
 * @returns the folders removed (or, with `dryRun`, that would be).
 */
export async function prunePgBouncers(options: { dryRun?: boolean } = {}): Promise<string[]> {
  const pruned: string[] = [];
  const entries = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!entry.startsWith(PGBOUNCER_TEMP_PREFIX)) continue;
    const root = join(tmpdir(), entry);
    const owner = await readOwner(root);
    if (!owner || isProcessAlive(owner.ownerPid)) continue;
    pruned.push(root);
    if (options.dryRun) continue;
    // The pid may have been reused since: only a process that is PgBouncer is stopped.
    if (await isPgBouncer(owner.pid)) await stopProcesses([owner.pid], 5000, 'SIGTERM');
    await rm(root, { recursive: true, force: true });
  }
  return pruned;
}

async function readOwner(root: string): Promise<PgBouncerOwner | undefined> {
  try {
    return JSON.parse(await readFile(join(root, OWNER_FILE), 'utf8')) as PgBouncerOwner;
  } catch {
    return undefined; // still being created, or not ours to judge
  }
}

async function isPgBouncer(pid: number): Promise<boolean> {
  const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
  return comm.trim() === 'pgbouncer';
}
