import {
  copyFile,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDockerDaemon } from '../../../src/docker/find-docker-daemon.js';
import { LABEL } from '../../../src/docker/labels.js';
import { RUN_ID } from '../../../src/run-id.js';
import { startDockerPostgres } from '../../../src/server/docker-postgres.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { readDumpArchiveHeader } from '../../../src/snapshot/dump/dump-archive-header.js';
import { exportSnapshot } from '../../../src/snapshot/dump/export-snapshot.js';
import type { ExportMetadata } from '../../../src/snapshot/dump/export-metadata.js';
import { importSnapshot } from '../../../src/snapshot/dump/import-snapshot.js';
import { locatePgTools } from '../../../src/snapshot/dump/locate-pg-tools.js';
import {
  DumpFileError,
  DumpFileExistsError,
  PgToolFailedError,
} from '../../../src/snapshot/dump/pg-dump-errors.js';
import type { PgTools } from '../../../src/snapshot/dump/pg-tools.js';
import { SnapshotEngine } from '../../../src/snapshot/snapshot-engine.js';
import { SnapshotExistsError } from '../../../src/snapshot/snapshot-errors.js';
import { dockerAvailable } from '../support/services.js';

const hasDocker = await dockerAvailable();
const IMAGE = 'venomqa/postgres:17';

/** Schema, rows and sequence positions of an app database, to compare two copies. */
async function describeDatabase(url: string): Promise<unknown> {
  return {
    columns: await queryOnce(
      url,
      `select table_schema, table_name, column_name, data_type, column_default
         from information_schema.columns where table_schema in ('public', 'billing')
        order by 1, 2, 3`,
    ),
    indexes: await queryOnce(
      url,
      `select schemaname, indexname, indexdef from pg_indexes
        where schemaname in ('public', 'billing') order by 1, 2`,
    ),
    views: await queryOnce(
      url,
      `select table_schema, table_name from information_schema.views
        where table_schema in ('public', 'billing') order by 1, 2`,
    ),
    orders: await queryOnce(url, 'select id, status, note from orders order by id'),
    invoices: await queryOnce(url, 'select no, total::text from billing.invoices order by no'),
    sequences: await queryOnce(
      url,
      `select schemaname, sequencename, last_value::text from pg_sequences
        where schemaname in ('public', 'billing') order by 1, 2`,
    ),
  };
}

describe.skipIf(!hasDocker)('snapshot export and import with pg_dump in Docker', () => {
  let server: PostgresServer;
  let engine: SnapshotEngine;
  let dir: string;
  let tools: PgTools;
  const progress: string[] = [];

  beforeAll(async () => {
    server = await startDockerPostgres({
      image: IMAGE,
      baseImage: process.env.VENOMQA_BASE_IMAGE ?? 'debian:trixie-slim',
      network: (process.env.VENOMQA_SERVER_NETWORK ?? 'host') as 'host' | 'bridge',
      port: null,
      tmpfs: true,
      user: 'venomqa',
      password: null,
      database: 'postgres',
      startupTimeoutMs: 60_000,
    });
    engine = await SnapshotEngine.open({ adminUrl: server.adminUrl, workingDatabase: 'app' });
    dir = await mkdtemp(join(tmpdir(), 'venomqa-dump-'));
    await queryOnce(server.adminUrl, 'create database app');
    await queryOnce(
      server.urlFor('app'),
      `create table orders (id serial primary key, status text not null, note text);
       create index orders_status on orders (status);
       create view paid as select id from orders where status = 'paid';
       insert into orders (status, note) select 'new', 'n' || g from generate_series(1, 40) g;
       update orders set status = 'paid' where id % 3 = 0;
       create schema billing;
       create sequence billing.invoice_no start 1000;
       create table billing.invoices (no int primary key default nextval('billing.invoice_no'),
                                      total numeric(10, 2));
       insert into billing.invoices (total) values (9.99), (120.5);
       select nextval('billing.invoice_no');`,
    );
    await engine.snapshot('app', 'ci-state');
    // No PATH and no Debian directories: the Docker image is what is left, as on a fresh CI box.
    tools = await locatePgTools({
      requiredMajor: 17,
      purpose: 'the test server',
      env: { PATH: '' },
      debianRoot: join(dir, 'no-such-root'),
      docker: { image: IMAGE, baseImage: 'unused', network: 'host' },
      onProgress: (line) => progress.push(line),
    });
  });

  afterAll(async () => {
    await engine?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('locates the tools in the image and says so', () => {
    expect(tools.where).toBe(`docker image ${IMAGE}`);
    expect(tools.major).toBe(17);
    expect(progress.join('\n')).toContain(
      `Using pg_dump/pg_restore ${tools.version} from docker image ${IMAGE}`,
    );
  });

  it('round-trips rows, sequences and schema through a file', async () => {
    const before = await describeDatabase(server.urlFor('app'));
    const file = join(dir, 'ci-state.dump');
    const exported = await exportSnapshot(engine, 'ci-state', file, { tools });
    expect(exported.file).toBe(file);
    // Only the dump and its sidecar: no temporary file is left next to them.
    expect((await readdir(dir)).sort()).toEqual(['ci-state.dump', 'ci-state.dump.json']);
    const header = await readDumpArchiveHeader(file);
    expect(header.pgDumpMajor).toBe(17);
    expect(header.serverVersion).toMatch(/^17\./);
    const metadata = JSON.parse(await readFile(`${file}.json`, 'utf8')) as ExportMetadata;
    expect(metadata).toMatchObject({
      format: 'venomqa-snapshot-export',
      snapshot: { name: 'ci-state', source: 'app' },
      dump: { file: 'ci-state.dump', bytes: exported.bytes, sha256: exported.sha256 },
      pgDump: { where: `docker image ${IMAGE}` },
    });

    // The working database drifts; the snapshot is deleted: only the file remains.
    await queryOnce(server.urlFor('app'), 'drop schema billing cascade; delete from orders');
    await engine.drop('ci-state');

    const imported = await importSnapshot(engine, file, 'ci-state', { tools });
    expect(imported.exported).toMatchObject({ name: 'ci-state', source: 'app' });
    const listed = (await engine.list()).find((s) => s.name === 'ci-state');
    expect(listed?.source).toBe(new URL(`file://${file}`).href);
    await engine.restore('app', 'ci-state');
    expect(await describeDatabase(server.urlFor('app'))).toEqual(before);
    // Sequences continue where they were, not from their start.
    expect(
      await queryOnce(server.urlFor('app'), "select nextval('billing.invoice_no')::int as n"),
    ).toEqual([{ n: 1003 }]);
  });

  it('refuses to overwrite a file or a snapshot, and rejects files that are not archives', async () => {
    const file = join(dir, 'twice.dump');
    await exportSnapshot(engine, 'ci-state', file, { tools });
    await expect(exportSnapshot(engine, 'ci-state', file, { tools })).rejects.toBeInstanceOf(
      DumpFileExistsError,
    );
    await exportSnapshot(engine, 'ci-state', file, { tools, overwrite: true });
    await expect(importSnapshot(engine, file, 'ci-state', { tools })).rejects.toBeInstanceOf(
      SnapshotExistsError,
    );

    const sql = join(dir, 'plain.sql');
    await writeFile(sql, 'create table t (n int);\n');
    await expect(importSnapshot(engine, sql, 'from-sql', { tools })).rejects.toThrow(
      /not a pg_dump custom-format archive/,
    );

    // A dump that no longer matches its sidecar (cut short in transit) is caught before restore.
    await truncate(file, 2000);
    const mismatch = await importSnapshot(engine, file, 'cut', { tools }).catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(DumpFileError);
    expect((mismatch as Error).message).toContain('does not match its sidecar');
  });

  it('surfaces pg_restore errors without the password and leaves nothing behind', async () => {
    const whole = join(dir, 'whole.dump');
    await exportSnapshot(engine, 'ci-state', whole, { tools });
    // Cut short without a sidecar: only pg_restore can notice.
    const cut = join(dir, 'cut.dump');
    await copyFile(whole, cut);
    const { size } = await stat(cut);
    await truncate(cut, Math.floor(size * 0.6));
    const before = await queryOnce<{ datname: string }>(
      server.adminUrl,
      "select datname from pg_database where starts_with(datname, 'vqa_') order by 1",
    );

    const error = await importSnapshot(engine, cut, 'broken', { tools }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PgToolFailedError);
    const failure = error as PgToolFailedError;
    expect(failure.message).toContain('pg_restore');
    expect(failure.stderrTail.join('\n')).toMatch(/pg_restore/);
    expect(failure.message).not.toContain(new URL(server.adminUrl).password);

    expect((await engine.list()).map((s) => s.name)).not.toContain('broken');
    const after = await queryOnce<{ datname: string }>(
      server.adminUrl,
      "select datname from pg_database where starts_with(datname, 'vqa_') order by 1",
    );
    expect(after).toEqual(before);
    const { docker } = await findDockerDaemon();
    const containers = await docker.listContainers({
      all: true,
      filters: { label: [`${LABEL.role}=tools`, `${LABEL.runId}=${RUN_ID}`] },
    });
    expect(containers).toEqual([]);
  });
});
