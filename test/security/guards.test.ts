import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../../src/server/postgres-url.js';
import { queryOnce } from '../../src/server/wait-for-postgres.js';
import { runCli, type CliResult } from '../integration/support/run-cli.js';
import { printFigures } from '../reliability/support/figures.js';
import { cliEnv, tempProject } from '../reliability/support/temp-project.js';

/**
 * The built CLI's destructive verbs against a real server: what venomqa did not create, the
 * system databases, a server that is not on this machine and an unattended run without --force
 * are refused with a typed error, and the server is left exactly as it was.
 */
describe('guards on destructive commands', () => {
  let project: { dir: string; remove: () => Promise<void> };
  let url = '';
  let adminUrl = '';
  const env = cliEnv();
  let refusals = 0;

  /** Every database on the server, the rows of the user's, and the snapshots. */
  const serverState = async (): Promise<string> => {
    const databases = await queryOnce<{ datname: string; datallowconn: boolean }>(
      adminUrl,
      'select datname, datallowconn from pg_database order by datname',
    );
    const rows = await Promise.all(
      ['venomqa', 'app_data', 'vqa_decoy'].map(
        async (db) =>
          (
            await queryOnce<{ n: string }>(
              withDatabase(url, db),
              'select count(*)::text as n from kept',
            )
          )[0]?.n,
      ),
    );
    return JSON.stringify({ databases, rows });
  };

  /** `venomqa <args>` is refused with `code` (exit 2), says why and what to do instead. */
  const expectRefused = async (
    args: string[],
    code: string,
    mentions: readonly string[] = [],
    extraEnv: Record<string, string> = {},
    withHint = true,
  ): Promise<CliResult> => {
    const result = await runCli(args, project.dir, { ...env, ...extraEnv });
    const output = `venomqa ${args.join(' ')}\n${result.stdout}\n${result.stderr}`;
    expect(result.stderr, output).toContain(`error ${code}: `);
    for (const text of mentions) expect(result.stderr, output).toContain(text);
    expect(result.exitCode, output).toBe(2);
    if (withHint) expect(result.stderr, output).toMatch(/^hint: \S/m);
    expect(output).not.toContain('internal error');
    refusals += 1;
    return result;
  };

  beforeAll(async () => {
    project = await tempProject('guards', { 'venomqa.yaml': 'journeys: [journeys]\n' });
    const up = await runCli(['db', 'up', '--json', '--show-password'], project.dir, env);
    expect(up.exitCode, up.stderr).toBe(0);
    url = (JSON.parse(up.stdout) as { url: string }).url;
    adminUrl = withDatabase(url, 'postgres');
    // A database of the user's, and one that only looks like venomqa's.
    for (const db of ['app_data', 'vqa_decoy']) {
      await queryOnce(adminUrl, `create database ${db}`);
      await queryOnce(
        withDatabase(url, db),
        'create table kept (id int); insert into kept values (1)',
      );
    }
    await queryOnce(url, 'create table kept (id int); insert into kept values (1), (2), (3)');
    const created = await runCli(['snapshot', 'create', 'keep'], project.dir, env);
    expect(created.exitCode, created.stderr).toBe(0);
  });

  afterAll(async () => {
    if (!project) return;
    printFigures(
      'guards',
      `${refusals} destructive invocations refused, server unchanged after each group`,
    );
    await runCli(['db', 'down', '--force'], project.dir, env);
    await project.remove();
  });

  it('snapshot restore refuses the system databases, the empty name and databases venomqa did not create', async () => {
    const before = await serverState();
    for (const target of ['postgres', 'template0', 'template1']) {
      await expectRefused(
        ['snapshot', 'restore', 'keep', '--db', target, '--force'],
        'VENOMQA_PROTECTED_DATABASE',
        [`'${target}'`, 'system database'],
      );
    }
    await expectRefused(
      ['snapshot', 'restore', 'keep', '--db', '', '--force'],
      'VENOMQA_INVALID_NAME',
      ['Database name is empty'],
      {},
      false,
    );
    for (const target of ['app_data', 'vqa_decoy']) {
      await expectRefused(
        ['snapshot', 'restore', 'keep', '--db', target, '--force'],
        'VENOMQA_PROTECTED_DATABASE',
        [`'${target}'`, 'venomqa did not create it'],
      );
    }
    expect(await serverState()).toBe(before);
  });

  it('snapshot delete refuses what is not a snapshot of venomqa', async () => {
    const before = await serverState();
    for (const name of ['postgres', 'template0', 'template1', 'app_data', 'vqa_decoy', 'venomqa']) {
      const result = await runCli(['snapshot', 'delete', name, '--force'], project.dir, env);
      expect(result.exitCode, result.stderr).toBe(2);
      expect(result.stderr).toMatch(
        /^error VENOMQA_(SNAPSHOT_NOT_FOUND|INVALID_NAME|PROTECTED_DATABASE): /m,
      );
      refusals += 1;
    }
    await expectRefused(
      ['snapshot', 'delete', '', '--force'],
      'VENOMQA_INVALID_NAME',
      ['name is empty'],
      {},
      false,
    );
    expect(await serverState()).toBe(before);
  });

  it('prune drops none of the system databases, the user database or the decoy', async () => {
    const before = await serverState();
    const pruned = await runCli(['prune'], project.dir, env);
    expect(pruned.exitCode, pruned.stderr).toBe(0);
    expect(await serverState()).toBe(before);
  });

  it('a working database (db_url) that is template0 or template1 is refused too', async () => {
    const before = await serverState();
    for (const db of ['template0', 'template1']) {
      await expectRefused(
        ['snapshot', 'restore', 'keep', '--force'],
        'VENOMQA_PROTECTED_DATABASE',
        [`'${db}'`],
        { VENOMQA_DB_URL: withDatabase(url, db) },
      );
    }
    expect(await serverState()).toBe(before);
  });

  it('a server that is not on a loopback address needs safety.allow_remote and --allow-remote', async () => {
    const before = await serverState();
    // `vm` resolves to 127.0.0.1 here (/etc/hosts), so even the allowed case stays on loopback;
    // venomqa judges the host as written, not what it resolves to.
    const remote = new URL(url);
    remote.hostname = 'vm';
    const remoteEnv = { VENOMQA_DB_URL: remote.href };
    const verbs = [
      ['snapshot', 'restore', 'keep', '--force'],
      ['snapshot', 'delete', 'keep', '--force'],
      ['snapshot', 'create', 'other'],
      ['prune'],
    ];
    for (const args of verbs) {
      await expectRefused(
        args,
        'VENOMQA_PROTECTED_DATABASE',
        ['on vm', 'not a loopback'],
        remoteEnv,
      );
      await expectRefused(
        [...args, '--allow-remote'],
        'VENOMQA_PROTECTED_DATABASE',
        ['not a loopback'],
        remoteEnv,
      );
      await expectRefused(args, 'VENOMQA_PROTECTED_DATABASE', ['not a loopback'], {
        ...remoteEnv,
        VENOMQA_ALLOW_REMOTE: 'true',
      });
    }
    expect(await serverState()).toBe(before);
    // Allowed twice: the restore goes through.
    const allowed = await runCli(
      ['snapshot', 'restore', 'keep', '--force', '--allow-remote'],
      project.dir,
      { ...env, ...remoteEnv, VENOMQA_ALLOW_REMOTE: 'true' },
    );
    expect(allowed.exitCode, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain("Restored venomqa from 'keep'");
  });

  it('unattended (no terminal, CI set) destructive commands without --force refuse and change nothing', async () => {
    const before = await serverState();
    await expectRefused(['snapshot', 'restore', 'keep'], 'VENOMQA_CONFIRMATION_REQUIRED', [
      'venomqa snapshot restore keep --force',
    ]);
    await expectRefused(['snapshot', 'delete', 'keep'], 'VENOMQA_CONFIRMATION_REQUIRED', [
      'venomqa snapshot delete keep --force',
    ]);
    await expectRefused(['db', 'down'], 'VENOMQA_CONFIRMATION_REQUIRED', [
      'venomqa db down --force',
    ]);
    // CI unset but stdin still not a terminal: refused all the same.
    await expectRefused(
      ['snapshot', 'delete', 'keep'],
      'VENOMQA_CONFIRMATION_REQUIRED',
      ['stdin is not a terminal'],
      { CI: 'false' },
    );
    expect(await serverState()).toBe(before);
    const status = await runCli(['db', 'status'], project.dir, env);
    expect(status.exitCode, status.stderr).toBe(0);
  });
});
