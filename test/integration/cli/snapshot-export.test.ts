import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDockerDaemon } from '../../../src/docker/find-docker-daemon.js';
import { LABEL } from '../../../src/docker/labels.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { locatePgTools } from '../../../src/snapshot/dump/locate-pg-tools.js';
import { PgDumpUnavailableError } from '../../../src/snapshot/dump/pg-dump-errors.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { dockerAvailable } from '../support/services.js';

const hasDocker = await dockerAvailable();

/** The environment a user's shell would give, with the test machine's Docker settings. */
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
  VENOMQA_BASE_IMAGE: process.env.VENOMQA_BASE_IMAGE,
  VENOMQA_SERVER_NETWORK: process.env.VENOMQA_SERVER_NETWORK ?? 'host',
};

async function newProject(provider: 'docker' | 'embedded'): Promise<string> {
  const project = await mkdtemp(join(tmpdir(), `venomqa-export-${provider}-`));
  // The embedded server's postgres user must reach .venomqa/embedded inside it.
  await chmod(project, 0o755);
  await writeFile(join(project, 'venomqa.yaml'), `server:\n  provider: ${provider}\n`);
  const up = await runCli(['db', 'up'], project, env);
  expect(up.exitCode, up.stderr).toBe(0);
  return project;
}

async function vqaDatabases(url: string): Promise<string[]> {
  const rows = await queryOnce<{ datname: string }>(
    url,
    "select datname from pg_database where starts_with(datname, 'vqa_') order by 1",
  );
  return rows.map((r) => r.datname);
}

/** Schema, rows and sequence positions, to compare the working database across a round trip. */
async function describeDatabase(url: string): Promise<unknown> {
  return {
    columns: await queryOnce(
      url,
      `select table_name, column_name, data_type, column_default from information_schema.columns
        where table_schema = 'public' order by 1, 2`,
    ),
    indexes: await queryOnce(
      url,
      "select indexname, indexdef from pg_indexes where schemaname = 'public' order by 1",
    ),
    items: await queryOnce(url, 'select id, v from items order by id'),
    sequences: await queryOnce(
      url,
      "select sequencename, last_value::text from pg_sequences where schemaname = 'public' order by 1",
    ),
  };
}

function expectNoPassword(url: string, ...results: CliResult[]): void {
  const password = new URL(url).password;
  for (const result of results) expect(result.stdout + result.stderr).not.toContain(password);
}

describe.skipIf(!hasDocker)('venomqa snapshot export / import (docker PostgreSQL 17)', () => {
  let project: string;
  let url: string;

  beforeAll(async () => {
    project = await newProject('docker');
    url = (await runCli(['db', 'url', '--show-password'], project, env)).stdout.trim();
    await queryOnce(
      url,
      `create table items (id serial primary key, v text not null);
       create index items_v on items (v);
       create sequence ticket_no start 500;
       insert into items (v) select 'item ' || g from generate_series(1, 25) g;
       select nextval('ticket_no'), nextval('ticket_no');`,
    );
  });

  afterAll(async () => {
    if (!project) return;
    await runCli(['db', 'down', '--force'], project, env);
    await rm(project, { recursive: true, force: true });
  });

  it('replays an exported snapshot in later, separate invocations, with the data checked', async () => {
    const before = await describeDatabase(url);
    expect((await runCli(['snapshot', 'create', 'ci-state'], project, env)).exitCode).toBe(0);

    // A relative file is relative to where the command runs.
    const exported = await runCli(
      ['snapshot', 'export', 'ci-state', 'ci-state.dump', '--json'],
      project,
      env,
    );
    expect(exported.exitCode, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/Using pg_dump\/pg_restore 17\.\d+ from /);
    const result = JSON.parse(exported.stdout) as {
      file: string;
      metadataFile: string;
      bytes: number;
    };
    expect(result.file).toBe(join(project, 'ci-state.dump'));
    expect(result.metadataFile).toBe(join(project, 'ci-state.dump.json'));
    expect(result.bytes).toBeGreaterThan(0);
    const sidecar = JSON.parse(await readFile(result.metadataFile, 'utf8')) as unknown;
    expect(sidecar).toMatchObject({
      snapshot: { name: 'ci-state', source: 'venomqa' },
      dump: { bytes: result.bytes },
    });
    expect((await readdir(project)).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const again = await runCli(['snapshot', 'export', 'ci-state', 'ci-state.dump'], project, env);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('VENOMQA_FILE_EXISTS');
    expect(again.stderr).toContain('--force');

    // The working database drifts and the snapshot goes away: only the file is left.
    await queryOnce(
      url,
      "drop index items_v; delete from items where id > 3; select nextval('ticket_no')",
    );
    const deleted = await runCli(['snapshot', 'delete', 'ci-state', '--force'], project, env);
    expect(deleted.exitCode).toBe(0);

    const imported = await runCli(
      ['snapshot', 'import', 'ci-state.dump', 'ci-state', '--json'],
      project,
      env,
    );
    expect(imported.exitCode, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({
      name: 'ci-state',
      exported: { name: 'ci-state', source: 'venomqa' },
      archive: { pgDumpMajor: 17 },
    });
    const copy = await runCli(['snapshot', 'import', 'ci-state.dump', 'replayed'], project, env);
    expect(copy.exitCode, copy.stderr).toBe(0);
    expect(copy.stdout).toContain(
      "as snapshot 'replayed' (exported snapshot 'ci-state' of venomqa",
    );

    const taken = await runCli(['snapshot', 'import', 'ci-state.dump', 'replayed'], project, env);
    expect(taken.exitCode).toBe(2);
    expect(taken.stderr).toContain('VENOMQA_SNAPSHOT_EXISTS');

    const listed = JSON.parse(
      (await runCli(['snapshot', 'list', '--json'], project, env)).stdout,
    ) as { name: string; source: string }[];
    expect(listed.map((s) => s.name).sort()).toEqual(['ci-state', 'replayed']);
    expect(listed[0]?.source).toMatch(/^file:\/\/.*\/ci-state\.dump$/);

    const restored = await runCli(['snapshot', 'restore', 'replayed', '--force'], project, env);
    expect(restored.exitCode, restored.stderr).toBe(0);
    expect(await describeDatabase(url)).toEqual(before);
    expect(await queryOnce(url, "select nextval('ticket_no')::int as n")).toEqual([{ n: 502 }]);
    expect(await queryOnce(url, "select nextval('items_id_seq')::int as n")).toEqual([{ n: 26 }]);

    for (const name of ['ci-state', 'replayed']) {
      expect((await runCli(['snapshot', 'delete', name, '--force'], project, env)).exitCode).toBe(
        0,
      );
    }
    expect(await vqaDatabases(url)).toEqual([]);
    const { docker } = await findDockerDaemon();
    const tools = await docker.listContainers({
      all: true,
      filters: { label: [`${LABEL.role}=tools`] },
    });
    expect(tools).toEqual([]);
    expectNoPassword(url, exported, again, imported, copy, taken, restored);
  });

  it('rejects a file that is not a custom-format dump and creates nothing', async () => {
    await writeFile(join(project, 'plain.sql'), 'create table t (n int);\n');
    const result = await runCli(
      ['snapshot', 'import', 'plain.sql', 'from-sql', '--json'],
      project,
      env,
    );
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      error: { code: 'VENOMQA_DUMP_FILE_INVALID' },
    });
    expect(await vqaDatabases(url)).toEqual([]);
  });

  it('states the pg_dump version requirement in its help', async () => {
    const help = await runCli(['snapshot', 'export', '--help'], project, env);
    expect(help.stdout).toContain('at least as new as the server');
    expect(help.stdout).toContain('VENOMQA_PG_BIN');
    expect(help.stdout).toContain('postgresql-client-18');
  });
});

describe('venomqa snapshot export on embedded PostgreSQL 18, which ships no pg_dump', () => {
  let project: string;
  let url: string;

  beforeAll(async () => {
    project = await newProject('embedded');
    url = (await runCli(['db', 'url', '--show-password'], project, env)).stdout.trim();
    await queryOnce(
      url,
      "create table items (id serial primary key, v text); insert into items (v) values ('a')",
    );
    expect((await runCli(['snapshot', 'create', 'pg18'], project, env)).exitCode).toBe(0);
  });

  afterAll(async () => {
    if (!project) return;
    await runCli(['db', 'down', '--force'], project, env);
    await rm(project, { recursive: true, force: true });
  });

  it('says which tools it found and what to install, or works when a pg_dump 18 exists', async () => {
    // What the CLI will find on this machine, looked up the same way.
    const found = await locatePgTools({
      requiredMajor: 18,
      purpose: 'the embedded server',
      env,
      docker: { image: 'venomqa/postgres:17', baseImage: 'unused', network: 'host' },
    }).catch((error: unknown) => {
      if (error instanceof PgDumpUnavailableError) return undefined;
      throw error;
    });
    const exported = await runCli(['snapshot', 'export', 'pg18', 'pg18.dump'], project, env);
    if (found) {
      expect(exported.exitCode, exported.stderr).toBe(0);
      const imported = await runCli(['snapshot', 'import', 'pg18.dump', 'pg18-copy'], project, env);
      expect(imported.exitCode, imported.stderr).toBe(0);
      expect(
        (await runCli(['snapshot', 'delete', 'pg18-copy', '--force'], project, env)).exitCode,
      ).toBe(0);
    } else {
      expect(exported.exitCode).toBe(3);
      expect(exported.stderr).toContain('error VENOMQA_PG_DUMP_UNAVAILABLE');
      expect(exported.stderr).toMatch(
        /PostgreSQL 18 or newer for the server \(PostgreSQL 18\.\d+\)/,
      );
      expect(exported.stderr).toContain('apt-get install postgresql-client-18');
      if (hasDocker) {
        expect(exported.stderr).toContain('docker image venomqa/postgres:17: 17, older than 18');
      }
      // Nothing was written and nothing was cloned.
      expect((await readdir(project)).filter((f) => f.includes('pg18'))).toEqual([]);
    }
    expect(await vqaDatabases(url)).toEqual([await snapshotPhysical(project)]);
    expectNoPassword(url, exported);
  });
});

async function snapshotPhysical(project: string): Promise<string> {
  const listed = JSON.parse(
    (await runCli(['snapshot', 'list', '--json'], project, env)).stdout,
  ) as {
    physical: string;
  }[];
  return listed[0]?.physical ?? '';
}
