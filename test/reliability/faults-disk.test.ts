import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, open, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../src/server/embedded-postgres.js';
import type { PostgresServer } from '../../src/server/postgres-server.js';
import { parsePostgresUrl } from '../../src/server/postgres-url.js';
import { queryOnce, waitForPostgres } from '../../src/server/wait-for-postgres.js';
import { runCli, type CliResult } from '../integration/support/run-cli.js';
import { msSince, printFigures } from './support/figures.js';
import { expectTypedFault } from './support/typed-fault.js';
import { cliEnv, shopConfig, shopJourney, tempProject } from './support/temp-project.js';

/** Whether this process may mount a tmpfs (root, and a kernel or sandbox that allows it). */
function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = join(tmpdir(), `venomqa-mount-probe-${process.pid}`);
  try {
    execFileSync('mkdir', ['-p', probe]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return true;
  } catch {
    return false;
  } finally {
    execFileSync('rm', ['-rf', probe]);
  }
}

const mountable = canMountTmpfs();
if (!mountable)
  console.log('faults-disk: skipped: mounting a tmpfs needs root (and a kernel that allows it)');

/** Free bytes on the filesystem holding `dir`. */
async function freeBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

describe.skipIf(!mountable)('environment faults: disk full on a small tmpfs data directory', () => {
  let mountPoint = '';
  let server: PostgresServer | undefined;
  let project: { dir: string; remove: () => Promise<void> };
  let env: Record<string, string> = {};
  const filler = (): string => join(mountPoint, 'filler');

  const rowsOf = async (): Promise<string | undefined> =>
    (
      await queryOnce<{ n: string }>(
        server?.urlFor('app') ?? '',
        'select count(*)::text as n from big',
      )
    )[0]?.n;

  const snapshotNames = async (): Promise<string[]> => {
    const listed = await runCli(['snapshot', 'list', '--json'], project.dir, env);
    expect(listed.exitCode, listed.stderr).toBe(0);
    return (JSON.parse(listed.stdout) as { name: string }[]).map((s) => s.name).sort();
  };

  /** Fill the tmpfs until `leave` bytes are free. */
  const fillDisk = async (leave: number): Promise<void> => {
    const file = await open(filler(), 'w');
    try {
      const chunk = Buffer.alloc(1024 * 1024, 1);
      while ((await freeBytes(mountPoint)) > leave + chunk.length) await file.write(chunk);
    } finally {
      await file.close();
    }
  };

  beforeAll(async () => {
    mountPoint = await mkdtemp(join(tmpdir(), 'venomqa-disk-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=160m,mode=0755', 'tmpfs', mountPoint]);
    await chmod(mountPoint, 0o755);
    server = await startEmbeddedPostgres({
      rootDir: join(mountPoint, 'cluster'),
      port: null,
      user: 'venomqa',
      password: null,
      database: 'app',
      startupTimeoutMs: 60_000,
    });
    // About 20 MB of rows: a copy of it cannot fit once the disk is nearly full.
    await queryOnce(
      server.urlFor('app'),
      "create table big as select g as id, repeat('x', 200) as pad from generate_series(1, 80000) g",
    );
    project = await tempProject('faults-disk', { 'venomqa.yaml': 'journeys: [journeys]\n' });
    env = cliEnv({ VENOMQA_DB_URL: server.urlFor('app') });
    const created = await runCli(['snapshot', 'create', 'keep'], project.dir, env);
    expect(created.exitCode, created.stderr).toBe(0);
  });

  afterAll(async () => {
    await server?.stop();
    if (mountPoint) {
      execFileSync('umount', [mountPoint]);
      await rm(mountPoint, { recursive: true, force: true });
    }
    await project?.remove();
  });

  it('snapshot create and restore on a full disk: VENOMQA_DISK_FULL, the target untouched, no snapshot lost', async () => {
    const before = await snapshotNames();
    await queryOnce(server?.urlFor('app') ?? '', 'delete from big where id > 40000');
    await fillDisk(6 * 1024 * 1024);
    const free = Math.round((await freeBytes(mountPoint)) / 1024 / 1024);
    await expectTypedFault(
      {
        fault: `disk full (${free} MB free on a 160 MB tmpfs)`,
        args: ['snapshot', 'create', 'second'],
        cwd: project.dir,
        env,
      },
      'VENOMQA_DISK_FULL',
      ["'app'", 'prune'],
    );
    // A restore builds its copy aside first: out of disk, the database it would replace stays.
    await expectTypedFault(
      {
        fault: 'disk full',
        args: ['snapshot', 'restore', 'keep', '--force'],
        cwd: project.dir,
        env,
      },
      'VENOMQA_DISK_FULL',
      ['prune'],
    );
    expect(await rowsOf()).toBe('40000');
    expect(await snapshotNames()).toEqual(before);
    // Space back: the snapshot restores whole, and no half-made copy is left.
    await rm(filler());
    const restored = await runCli(['snapshot', 'restore', 'keep', '--force'], project.dir, env);
    expect(restored.exitCode, restored.stderr).toBe(0);
    expect(await rowsOf()).toBe('80000');
    const leftovers = await queryOnce<{ datname: string }>(
      server?.adminUrl ?? '',
      "select datname from pg_database where datname like 'vqa\\_%' and datname not in (select datname from pg_database where datistemplate)",
    );
    printFigures(
      'faults',
      `disk full: after freeing the disk, restore of 'keep' exit ${restored.exitCode}, rows 40000 -> ${await rowsOf()}, databases left by the failed copies: ${leftovers.length}`,
    );
    expect(leftovers).toEqual([]);
  });

  it('venomqa run on a full disk: a typed environment error, not a crash, and no snapshot lost', async () => {
    const before = await snapshotNames();
    await queryOnce(server?.adminUrl ?? '', 'create database shop');
    const shop = await tempProject('faults-disk-run', {
      'venomqa.yaml': shopConfig(),
      'journeys/shop.journey.mjs': shopJourney({ name: 'shop', paths: ['p1', 'p2'] }),
    });
    let result: CliResult;
    try {
      await fillDisk(4 * 1024 * 1024);
      const began = performance.now();
      result = await runCli(['run'], shop.dir, {
        ...env,
        VENOMQA_DB_URL: server?.urlFor('shop') ?? '',
      });
      const first = /^error (\S+): (.*)$/m.exec(result.stderr);
      const hint = /^hint: (.*)$/m.exec(result.stderr);
      printFigures(
        'faults',
        `disk full during a run: \`venomqa run\` exit ${result.exitCode} after ${msSince(began)} ms: ${first ? `${first[1]}: ${first[2]?.slice(0, 200)}` : 'no typed error'}; hint: ${hint?.[1]?.slice(0, 120) ?? 'none'}`,
      );
    } finally {
      await rm(filler(), { force: true });
      await shop.remove();
    }
    // Out of room for its WAL, PostgreSQL stops (PANIC) and restarts: the run sees the server
    // gone (it cannot read a db_url server's log to say why); a copy that fails first is named
    // as the full disk it is.
    expect(result.stderr).toMatch(/^error VENOMQA_(DISK_FULL|SERVER_LOST): /m);
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/^hint: \S/m);
    expect(result.stderr).not.toContain("Unhandled 'error' event");
    // Once PostgreSQL is back, every snapshot is still there. It restarts by itself after the
    // PANIC, unless its crash recovery ran while the disk was still full (seen under load): then
    // it is started again on its data, as `venomqa db up` does for the managed server.
    const back = await waitForPostgres(server?.adminUrl ?? '', { timeoutMs: 30_000 }).then(
      () => true,
      () => false,
    );
    if (!back && server) {
      const previous = server;
      server = await startEmbeddedPostgres({
        rootDir: join(mountPoint, 'cluster'),
        port: previous.port,
        user: 'venomqa',
        password: parsePostgresUrl(previous.adminUrl).password,
        database: 'app',
        startupTimeoutMs: 60_000,
      });
    }
    printFigures(
      'faults',
      `disk full during a run: PostgreSQL ${back ? 'restarted by itself' : 'stayed down (its recovery met the full disk) and was started again on its data'}`,
    );
    expect(await snapshotNames()).toEqual(before);
  });
});
