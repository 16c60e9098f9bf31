import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { runCli } from '../support/run-cli.js';

const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
};

describe('venomqa snapshot across separate invocations (embedded)', () => {
  let project: string;
  let url: string;

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'venomqa-snapshot-cli-'));
    await chmod(project, 0o755);
    await writeFile(join(project, 'venomqa.yaml'), 'server:\n  provider: embedded\n');
    expect((await runCli(['db', 'up'], project, env)).exitCode).toBe(0);
    url = (await runCli(['db', 'url', '--show-password'], project, env)).stdout.trim();
    await queryOnce(
      url,
      "create table items (id serial primary key, v text); insert into items (v) values ('a'), ('b')",
    );
  });

  afterAll(async () => {
    await runCli(['db', 'down', '--force'], project, env);
    await rm(project, { recursive: true, force: true });
  });

  it('creates, lists, restores and deletes a snapshot, with the data checked', async () => {
    const created = await runCli(['snapshot', 'create', 'two-items'], project, env);
    expect(created.stderr).toBe('');
    expect(created.exitCode).toBe(0);
    await queryOnce(url, "insert into items (v) values ('c')");

    const listed = await runCli(['snapshot', 'list', '--json'], project, env);
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { name: 'two-items', kind: 'snapshot', source: 'venomqa' },
    ]);

    // Not a terminal and no --force: refused, nothing replaced.
    const refused = await runCli(['snapshot', 'restore', 'two-items'], project, env);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('--force');
    expect(await queryOnce(url, 'select count(*)::int as n from items')).toEqual([{ n: 3 }]);

    const restored = await runCli(['snapshot', 'restore', 'two-items', '--force'], project, env);
    expect(restored.exitCode).toBe(0);
    expect(await queryOnce(url, 'select v from items order by id')).toEqual([
      { v: 'a' },
      { v: 'b' },
    ]);
    expect(await queryOnce(url, "select nextval('items_id_seq')::int as n")).toEqual([{ n: 3 }]);

    const missing = await runCli(['snapshot', 'restore', 'nope', '--force'], project, env);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("Snapshot 'nope' not found; existing snapshots: 'two-items'");

    expect(
      (await runCli(['snapshot', 'delete', 'two-items', '--force'], project, env)).exitCode,
    ).toBe(0);
    expect(JSON.parse((await runCli(['snapshot', 'list', '--json'], project, env)).stdout)).toEqual(
      [],
    );
    const left = await queryOnce(
      url,
      "select datname from pg_database where starts_with(datname, 'vqa_')",
    );
    expect(left).toEqual([]);
  });

  it('prunes nothing of live data with --dry-run and reports it', async () => {
    const result = await runCli(['prune', '--dry-run', '--json'], project, env);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      databases: { dropped: [] },
      dryRun: true,
    });
  });
});

describe('venomqa snapshot with a bad name and no database', () => {
  it('says the name is bad (exit 2) before it looks for a database', async () => {
    const project = await mkdtemp(join(tmpdir(), 'venomqa-snapshot-noname-'));
    try {
      await writeFile(join(project, 'venomqa.yaml'), 'base_url: http://127.0.0.1:8000\n');
      for (const args of [
        ['create', 'bad;name'],
        ['restore', 'bad;name', '--force'],
        ['delete', 'bad;name', '--force'],
        ['export', 'bad;name', 'out.dump'],
        ['import', 'in.dump', 'bad;name'],
      ]) {
        const result = await runCli(['snapshot', ...args], project, env);
        expect({ args, exitCode: result.exitCode, stderr: result.stderr }).toMatchObject({
          exitCode: 2,
          stderr: expect.stringContaining('VENOMQA_INVALID_NAME') as unknown,
        });
        expect(result.stderr).not.toContain('VENOMQA_NO_DATABASE');
      }
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });
});
