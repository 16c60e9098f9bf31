import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../../src/server/postgres-url.js';
import { queryOnce } from '../../src/server/wait-for-postgres.js';
import { runCli } from '../integration/support/run-cli.js';
import { CliChild } from './support/cli-child.js';
import { msSince, printFigures } from './support/figures.js';
import { expectTypedFault } from './support/typed-fault.js';
import { cliEnv, shopConfig, shopJourney, shopSetup, tempProject } from './support/temp-project.js';

describe('environment faults: PostgreSQL stopped mid-run, max_connections exhausted', () => {
  let project: { dir: string; remove: () => Promise<void> };
  let adminUrl = '';
  const env = cliEnv();

  /** Every database `snapshot list` shows: named snapshots, and checkpoints runs left. */
  const snapshotNames = async (): Promise<string[]> => {
    const listed = await runCli(['snapshot', 'list', '--json'], project.dir, env);
    expect(listed.exitCode, listed.stderr).toBe(0);
    return (JSON.parse(listed.stdout) as { name: string }[]).map((s) => s.name).sort();
  };

  beforeAll(async () => {
    project = await tempProject('faults-postgres', {
      'venomqa.yaml': shopConfig(shopSetup()),
      'journeys/shop.journey.mjs': shopJourney({
        name: 'shop',
        paths: ['p1', 'p2', 'p3'],
        pathDelayMs: 3000,
      }),
    });
    const up = await runCli(['db', 'up', '--json', '--show-password'], project.dir, env);
    expect(up.exitCode, up.stderr).toBe(0);
    const url = (JSON.parse(up.stdout) as { url: string }).url;
    adminUrl = withDatabase(url, 'postgres');
    await queryOnce(url, 'create table kept (id int); insert into kept values (1), (2), (3)');
    const created = await runCli(['snapshot', 'create', 'keep'], project.dir, env);
    expect(created.exitCode, created.stderr).toBe(0);
  });

  afterAll(async () => {
    if (project) {
      await runCli(['db', 'down', '--force'], project.dir, env);
      await project.remove();
    }
  });

  it('max_connections exhausted: a typed error naming the limit, and no snapshot lost', async () => {
    const before = await snapshotNames();
    // Take every connection slot a non-superuser... the venomqa role is a superuser, so fill
    // the superuser-reserved slots too: open connections until the server refuses one.
    const hogs: pg.Client[] = [];
    try {
      for (;;) {
        const client = new pg.Client(adminUrl);
        client.on('error', () => undefined);
        try {
          await client.connect();
        } catch {
          break;
        }
        hogs.push(client);
        if (hogs.length > 400) throw new Error('the server accepted 400 connections');
      }
      await expectTypedFault(
        {
          fault: `max_connections exhausted (${hogs.length} sessions open)`,
          args: ['snapshot', 'create', 'during_exhaustion'],
          cwd: project.dir,
          env,
        },
        'VENOMQA_TOO_MANY_CONNECTIONS',
        ['max_connections'],
      );
      // A server that runs but refuses venomqa is not one to clean up and start afresh.
      await expectTypedFault(
        { fault: 'max_connections exhausted', args: ['db', 'up'], cwd: project.dir, env },
        'VENOMQA_TOO_MANY_CONNECTIONS',
        ['max_connections'],
      );
      await expectTypedFault(
        {
          fault: 'max_connections exhausted',
          args: ['run'],
          cwd: project.dir,
          env,
        },
        'VENOMQA_TOO_MANY_CONNECTIONS',
        ['max_connections'],
      );
    } finally {
      await Promise.all(hogs.map((c) => c.end().catch(() => undefined)));
    }
    expect(await snapshotNames()).toEqual(before);
  });

  it('PostgreSQL stopped while paths run: the run stops with a typed error, and `db up` brings the snapshots back', async () => {
    const before = await snapshotNames();
    const child = new CliChild(['run', '-v'], project.dir, env);
    const busy = await child.waitFor(
      /Rolled back to checkpoint: chk_ordered for shop\/p2/,
      120_000,
    );
    expect(busy, child.stderr).toBe(true);
    // A fast shutdown, as `pg_ctl stop -m fast` or a stopped service does.
    const state = JSON.parse(await readFile(join(project.dir, '.venomqa', 'db.json'), 'utf8')) as {
      rootDir: string;
    };
    const pid = Number(
      (await readFile(join(state.rootDir, 'data', 'postmaster.pid'), 'utf8')).split('\n')[0],
    );
    const began = performance.now();
    process.kill(pid, 'SIGINT');
    const exit = await child.exited;
    const ms = msSince(began);
    const first = /^error (\S+): (.*)$/m.exec(exit.stderr);
    const hint = /^hint: (.*)$/m.exec(exit.stderr);
    printFigures(
      'faults',
      `PostgreSQL stopped mid-run: \`venomqa run\` exit ${exit.exitCode} ${ms} ms after the stop: ${first ? `${first[1]}: ${first[2]?.slice(0, 160)}` : 'no typed error'}; hint: ${hint?.[1]?.slice(0, 160) ?? 'none'}`,
    );
    const up = await runCli(['db', 'up'], project.dir, env);
    const after = up.exitCode === 0 ? await snapshotNames() : [];
    // The run could not drop its checkpoints on a stopped server: prune does, once it is back.
    const pruned = up.exitCode === 0 ? await runCli(['prune'], project.dir, env) : undefined;
    const afterPrune = pruned?.exitCode === 0 ? await snapshotNames() : [];
    printFigures(
      'faults',
      `after PostgreSQL stopped: \`venomqa db up\` exit ${up.exitCode} (${up.stderr.trim().split('\n')[0]}); snapshots before ${before.join(', ')}; after db up ${after.join(', ') || 'none'}; after prune ${afterPrune.join(', ') || 'none'}`,
    );
    expect(exit.exitCode, exit.stderr).toBe(3);
    expect(first?.[1]).toBe('VENOMQA_SERVER_LOST');
    expect(first?.[2]).toContain('Connection refused');
    expect(hint?.[1]).toContain('venomqa db up');
    expect(exit.stderr).not.toContain('internal error');
    // The reports still say what ran.
    expect(exit.stderr).toMatch(/^report: /m);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stderr).toContain('Restarted the managed database on its data');
    for (const name of before) expect(after).toContain(name);
    expect(pruned?.exitCode, pruned?.stderr).toBe(0);
    // What is left besides the snapshots is the setup template, kept for the next run.
    expect(afterPrune.filter((name) => !name.startsWith('venomqa.'))).toEqual(before);
    const url = (await runCli(['db', 'url', '--show-password'], project.dir, env)).stdout.trim();
    adminUrl = withDatabase(url, 'postgres');
    const rows = await queryOnce<{ n: string }>(url, 'select count(*)::text as n from kept');
    expect(rows[0]?.n).toBe('3');
  });

  it('a drop the stop cut short (an invalid database) is finished by prune', async () => {
    // What PostgreSQL 16+ leaves of a DROP DATABASE interrupted by a stop: datconnlimit -2.
    // Made here on purpose, since the stop above hits a drop only sometimes.
    const dead = 'vqa_o_deadbeef_0123456789';
    await queryOnce(adminUrl, `create database ${dead}`);
    await queryOnce(adminUrl, `update pg_database set datconnlimit = -2 where datname = '${dead}'`);
    const pruned = await runCli(['prune'], project.dir, env);
    expect(pruned.exitCode, pruned.stderr).toBe(0);
    expect(pruned.stdout).toContain(dead);
    const left = await queryOnce(adminUrl, 'select 1 from pg_database where datname = $1', [dead]);
    expect(left).toEqual([]);
  });
});
