import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerPostgres } from '../../../src/server/docker-postgres.js';
import { startEmbeddedPostgres } from '../../../src/server/embedded-postgres.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { queryOnce } from '../../../src/server/wait-for-postgres.js';
import { SnapshotEngine } from '../../../src/snapshot/snapshot-engine.js';
import {
  CreateDatabasePrivilegeError,
  DatabaseInUseError,
  InvalidNameError,
  ProtectedDatabaseError,
  SnapshotExistsError,
  SnapshotNotFoundError,
} from '../../../src/snapshot/snapshot-errors.js';
import { dockerAvailable } from '../support/services.js';

const hasDocker = await dockerAvailable();

type Provider = 'embedded' | 'docker';

async function startServer(provider: Provider): Promise<PostgresServer> {
  const common = {
    port: null,
    user: 'venomqa',
    password: null,
    database: 'postgres',
    startupTimeoutMs: 60_000,
  };
  if (provider === 'embedded') return startEmbeddedPostgres(common);
  return startDockerPostgres({
    ...common,
    image: 'venomqa/postgres:17',
    baseImage: process.env.VENOMQA_BASE_IMAGE ?? 'debian:trixie-slim',
    network: (process.env.VENOMQA_SERVER_NETWORK ?? 'host') as 'host' | 'bridge',
    tmpfs: true,
  });
}

async function vqaDatabases(server: PostgresServer): Promise<string[]> {
  const rows = await queryOnce<{ datname: string }>(
    server.adminUrl,
    "select datname from pg_database where starts_with(datname, 'vqa_') order by 1",
  );
  return rows.map((r) => r.datname);
}

/** A small app database: a serial key, a sequence, a view, an index, rows. */
async function createAppDatabase(server: PostgresServer, name: string): Promise<void> {
  await queryOnce(server.adminUrl, `create database ${pg.escapeIdentifier(name)}`);
  await queryOnce(
    server.urlFor(name),
    `create table orders (id serial primary key, status text not null, note text);
     create sequence invoice_no start 1000;
     create index orders_status on orders (status);
     create view paid as select id from orders where status = 'paid';
     insert into orders (status) select 'new' from generate_series(1, 50);
     select nextval('invoice_no'), nextval('invoice_no');`,
  );
}

const providers: Provider[] = hasDocker ? ['embedded', 'docker'] : ['embedded'];

describe.each(providers)('snapshot engine on %s PostgreSQL', (provider) => {
  let server: PostgresServer;
  let engine: SnapshotEngine;

  beforeAll(async () => {
    server = await startServer(provider);
    await createAppDatabase(server, 'app');
    engine = await SnapshotEngine.open({ adminUrl: server.adminUrl, workingDatabase: 'app' });
  });

  afterAll(async () => {
    try {
      // Nothing a test made may survive it: every test drops what it created.
      expect(await vqaDatabases(server)).toEqual([]);
    } finally {
      await engine?.close();
      await server?.stop();
    }
  });

  it('round-trips rows, sequences and schema through snapshot and restore', async () => {
    await engine.snapshot('app', 'baseline');
    try {
      await queryOnce(
        server.urlFor('app'),
        `insert into orders (status) values ('paid');
         alter table orders drop column note;
         select nextval('invoice_no');
         drop view paid;`,
      );
      const result = await engine.restore('app', 'baseline');
      expect(result.unavailableMs).toBeGreaterThan(0);
      const url = server.urlFor('app');
      expect(await queryOnce(url, 'select count(*)::int as n from orders')).toEqual([{ n: 50 }]);
      expect(await queryOnce(url, "select nextval('invoice_no')::int as v")).toEqual([{ v: 1002 }]);
      expect(await queryOnce(url, "select nextval('orders_id_seq')::int as v")).toEqual([
        { v: 51 },
      ]);
      const columns = await queryOnce<{ column_name: string }>(
        url,
        "select column_name from information_schema.columns where table_name = 'orders' order by 1",
      );
      expect(columns.map((c) => c.column_name)).toEqual(['id', 'note', 'status']);
      expect(await queryOnce(url, 'select count(*)::int as n from paid')).toEqual([{ n: 0 }]);
      const listed = await engine.list();
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ name: 'baseline', kind: 'snapshot', source: 'app' });
      expect(listed[0]?.sizeBytes).toBeGreaterThan(0);
    } finally {
      await engine.drop('baseline');
    }
  });

  it('restores under a busy client pool, which recovers and sees the restored data', async () => {
    await engine.snapshot('app', 'pooled');
    const pool = new pg.Pool({ connectionString: server.urlFor('app'), max: 5 });
    const poolErrors: string[] = [];
    pool.on('error', (error) =>
      poolErrors.push((error as { code?: string }).code ?? error.message),
    );
    let running = true;
    let lastOk = performance.now();
    let longestGap = 0;
    const worker = async (): Promise<void> => {
      while (running) {
        try {
          await pool.query('select count(*) from orders');
          const now = performance.now();
          longestGap = Math.max(longestGap, now - lastOk);
          lastOk = now;
        } catch {
          // 57P01 / 55000 / 3D000 during the window: the pool reconnects by itself.
        }
      }
    };
    try {
      const workers = Array.from({ length: 5 }, worker);
      await new Promise((r) => setTimeout(r, 100));
      await queryOnce(
        server.urlFor('app'),
        "insert into orders (status) values ('after-snapshot')",
      );
      await engine.restore('app', 'pooled');
      await new Promise((r) => setTimeout(r, 200));
      running = false;
      await Promise.all(workers);
      const { rows } = await pool.query<{ n: number }>(
        "select count(*)::int as n from orders where status = 'after-snapshot'",
      );
      expect(rows).toEqual([{ n: 0 }]);
      // Not a timing assertion: the figure is for the benchmark; here only "it recovered".
      expect(longestGap).toBeLessThan(10_000);
    } finally {
      running = false;
      await pool.end();
      await engine.drop('pooled');
    }
  });

  it('makes 16 concurrent independent clones of one snapshot', async () => {
    await engine.snapshot('app', 'fanout');
    try {
      const clones = await engine.clone('fanout', 16);
      try {
        expect(new Set(clones.map((c) => c.database)).size).toBe(16);
        await Promise.all(
          clones.map((c, i) =>
            queryOnce(c.url, `insert into orders (status) values ('clone-${i}')`),
          ),
        );
        for (const [i, clone] of clones.entries()) {
          const rows = await queryOnce<{ status: string }>(
            clone.url,
            "select status from orders where status like 'clone-%'",
          );
          expect(rows).toEqual([{ status: `clone-${i}` }]);
        }
      } finally {
        await Promise.all(clones.map((c) => c.drop()));
      }
    } finally {
      await engine.drop('fanout');
    }
  });

  it('lets exactly one of two concurrent creates of one name win', async () => {
    const second = await SnapshotEngine.open({ adminUrl: server.adminUrl });
    try {
      const results = await Promise.allSettled([
        engine.snapshot('app', 'contested'),
        second.snapshot('app', 'contested'),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect(rejected?.reason).toBeInstanceOf(SnapshotExistsError);
    } finally {
      await second.close();
      await engine.drop('contested');
    }
  });

  it('rejects hostile names with a typed error and leaves no stray database', async () => {
    const before = await vqaDatabases(server);
    const hostile = [
      "o'brien",
      'x"; drop database app; --',
      'ünïcode',
      'a'.repeat(64),
      'nul\0byte',
      '',
      ' lead',
    ];
    for (const name of hostile) {
      await expect(engine.snapshot('app', name)).rejects.toBeInstanceOf(InvalidNameError);
    }
    await expect(engine.snapshot('a'.repeat(64), 'ok')).rejects.toBeInstanceOf(InvalidNameError);
    await expect(engine.restore('app\0x', 'ok')).rejects.toBeInstanceOf(InvalidNameError);
    expect(await vqaDatabases(server)).toEqual(before);
    expect(await queryOnce(server.urlFor('app'), 'select 1 as ok')).toEqual([{ ok: 1 }]);
  });

  it('names the existing snapshots when one is missing', async () => {
    await engine.snapshot('app', 'present');
    try {
      const error = await engine.clone('absent', 1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SnapshotNotFoundError);
      expect((error as Error).message).toBe(
        "Snapshot 'absent' not found; existing snapshots: 'present'",
      );
    } finally {
      await engine.drop('present');
    }
  });

  it('refuses to drop or restore into protected and foreign databases', async () => {
    await queryOnce(server.adminUrl, 'create database not_ours');
    await engine.snapshot('app', 'guarded');
    try {
      for (const target of ['postgres', 'template0', 'template1', 'not_ours']) {
        await expect(engine.restore(target, 'guarded')).rejects.toBeInstanceOf(
          ProtectedDatabaseError,
        );
      }
      expect(await queryOnce(server.urlFor('not_ours'), 'select 1 as ok')).toEqual([{ ok: 1 }]);
    } finally {
      await engine.drop('guarded');
      await queryOnce(server.adminUrl, 'drop database not_ours');
    }
  });

  it('names the blocking session when a session cannot be ended', async () => {
    // A CREATEDB role that owns its database, but may not end a superuser's session on it.
    await queryOnce(server.adminUrl, "create role limited login createdb password 'limited-pw'");
    await queryOnce(server.adminUrl, 'create database limited_app owner limited');
    const admin = new URL(server.adminUrl);
    admin.username = 'limited';
    admin.password = 'limited-pw';
    const limited = await SnapshotEngine.open({
      adminUrl: admin.toString(),
      sessionDrainTimeoutMs: 500,
    });
    const blocker = new pg.Client({
      connectionString: server.urlFor('limited_app'),
      application_name: 'blocker-app',
    });
    blocker.on('error', () => undefined);
    await blocker.connect();
    try {
      const error = await limited.snapshot('limited_app', 'blocked').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseInUseError);
      expect((error as Error).message).toContain("application 'blocker-app'");
      expect((error as DatabaseInUseError).sessions[0]?.pid).toBeGreaterThan(0);
      // Connections were let back in.
      expect(await queryOnce(server.urlFor('limited_app'), 'select 1 as ok')).toEqual([{ ok: 1 }]);
    } finally {
      await blocker.end();
      await limited.close();
      await queryOnce(server.adminUrl, 'drop database limited_app');
      await queryOnce(server.adminUrl, 'drop role limited');
    }
  });

  it('says CREATEDB is missing and that savepoint is the fallback', async () => {
    await engine.snapshot('app', 'for-nocreate');
    await queryOnce(server.adminUrl, "create role nocreate login password 'nocreate-pw'");
    const admin = new URL(server.adminUrl);
    admin.username = 'nocreate';
    admin.password = 'nocreate-pw';
    const weak = await SnapshotEngine.open({ adminUrl: admin.toString() });
    try {
      const error = await weak.clone('for-nocreate', 1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CreateDatabasePrivilegeError);
      expect((error as CreateDatabasePrivilegeError).hint).toContain('strategy: savepoint');
    } finally {
      await weak.close();
      await queryOnce(server.adminUrl, 'drop role nocreate');
      await engine.drop('for-nocreate');
    }
  });

  it('hands out warm clones at once and drops the rest on dispose', async () => {
    await engine.snapshot('app', 'warm');
    try {
      const pool = await engine.pool('warm', 3);
      await pool.filled();
      expect(pool.available).toBe(3);
      const clone = await pool.acquire();
      expect(await queryOnce(clone.url, 'select count(*)::int as n from orders')).toEqual([
        { n: 50 },
      ]);
      await clone.drop();
      await pool.dispose();
    } finally {
      await engine.drop('warm');
    }
  });

  it('prunes what a run killed with SIGKILL mid-clone left behind, and nothing of live runs', async () => {
    await engine.snapshot('app', 'doomed-source');
    const ours = await engine.clone('doomed-source', 1);
    try {
      const fixture = fileURLToPath(
        new URL('../../fixtures/snapshot/clone-until-killed.mjs', import.meta.url),
      );
      const child = execa('node', [fixture, server.adminUrl, 'doomed-source'], { reject: false });
      let output = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if ((output.match(/^clone /gm) ?? []).length >= 2) resolve();
        });
        void child.then(() => reject(new Error(`fixture exited early: ${output}`)));
      });
      child.kill('SIGKILL');
      await child;
      const leftBehind = (await vqaDatabases(server)).filter((d) => d.startsWith('vqa_c_'));
      expect(leftBehind.length).toBeGreaterThanOrEqual(3); // ours plus at least two of its clones

      // The killed run's lease is gone once the server notices the dead connection.
      const dryRun = await engine.prune({ dryRun: true });
      expect(dryRun.dropped.length).toBeGreaterThanOrEqual(2);
      expect(dryRun.kept).toContain(ours[0]?.database);
      const pruned = await engine.prune();
      expect(pruned.dropped).toEqual(dryRun.dropped);
      expect((await vqaDatabases(server)).filter((d) => d.startsWith('vqa_c_'))).toEqual([
        ours[0]?.database,
      ]);
    } finally {
      await Promise.all(ours.map((c) => c.drop()));
      await engine.drop('doomed-source');
    }
  });
});
