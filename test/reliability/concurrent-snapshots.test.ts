import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresServer } from '../../src/server/postgres-server.js';
import { queryOnce } from '../../src/server/wait-for-postgres.js';
import { SnapshotEngine } from '../../src/snapshot/snapshot-engine.js';
import { SnapshotExistsError } from '../../src/snapshot/snapshot-errors.js';
import { runKey } from '../../src/snapshot/snapshot-names.js';
import { startTestPostgres } from '../integration/state/embedded-server.js';
import { CliChild } from './support/cli-child.js';
import { iterations, msSince, printFigures, spread } from './support/figures.js';
import { venomqaDatabases } from './support/leftovers.js';
import { cliEnv, tempProject } from './support/temp-project.js';

const ROWS = 20_000;

/** Rows in `table` of the database at `url`, read by a client of its own. */
async function countRows(url: string): Promise<number> {
  const rows = await queryOnce<{ n: string }>(url, 'select count(*)::text as n from items');
  return Number(rows[0]?.n);
}

describe('concurrency: clones and creates of one snapshot (embedded PostgreSQL 18)', () => {
  let server: PostgresServer;
  let engine: SnapshotEngine;
  const runId = `rel-clones-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    server = await startTestPostgres();
    await queryOnce(server.adminUrl, 'create database app');
    await queryOnce(
      server.urlFor('app'),
      `create table items (id serial primary key, note text);
       insert into items (note) select 'row ' || g from generate_series(1, ${ROWS}) g;`,
    );
    // As many creates at once as the test asks for: the engine's own limit is 4 by default.
    engine = await SnapshotEngine.open({
      adminUrl: server.adminUrl,
      workingDatabase: 'app',
      maxConcurrentCreates: 32,
      runId,
    });
    await engine.snapshot('app', 'seeded');
  });

  afterAll(async () => {
    await engine?.close();
    await server?.stop();
  });

  it('32 concurrent clones x 10 rounds: every clone is made, holds the data, and none is left', async () => {
    const rounds = iterations(10, 4);
    const roundMs: number[] = [];
    let made = 0;
    let wrong = 0;
    for (let round = 0; round < rounds; round += 1) {
      const began = performance.now();
      const clones = await engine.clone('seeded', 32);
      roundMs.push(msSince(began));
      try {
        expect(new Set(clones.map((c) => c.database)).size).toBe(32);
        made += clones.length;
        const counts = await Promise.all(clones.map((c) => countRows(c.url)));
        wrong += counts.filter((n) => n !== ROWS).length;
      } finally {
        await Promise.all(clones.map((c) => c.drop()));
      }
    }
    const left = (await venomqaDatabases(server.adminUrl)).filter(
      (d) => d.kind === 'clone' && d.runKey === runKey(runId),
    );
    printFigures(
      'concurrency',
      `32 concurrent clones x ${rounds} rounds: ${made} made, ${wrong} with wrong data, ${left.length} left; per round of 32 ${spread(roundMs)}`,
    );
    expect(made).toBe(32 * rounds);
    expect(wrong).toBe(0);
    expect(left).toEqual([]);
  });

  it('16 concurrent creates of one snapshot name (16 engines, as 16 processes would): exactly one wins', async () => {
    const rounds = iterations(5, 2);
    const engines = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        SnapshotEngine.open({
          adminUrl: server.adminUrl,
          workingDatabase: 'app',
          runId: `${runId}-${i}`,
        }),
      ),
    );
    try {
      const tally = { won: 0, exists: 0, other: [] as string[] };
      for (let round = 0; round < rounds; round += 1) {
        const name = `race_${round}_${randomBytes(3).toString('hex')}`;
        const began = performance.now();
        const settled = await Promise.allSettled(engines.map((e) => e.snapshot('app', name)));
        const ms = msSince(began);
        const won = settled.filter((s) => s.status === 'fulfilled').length;
        const exists = settled.filter(
          (s) => s.status === 'rejected' && s.reason instanceof SnapshotExistsError,
        ).length;
        for (const s of settled) {
          if (s.status === 'rejected' && !(s.reason instanceof SnapshotExistsError)) {
            tally.other.push(String(s.reason));
          }
        }
        tally.won += won;
        tally.exists += exists;
        const listed = (await engine.list()).filter((l) => l.name === name);
        printFigures(
          'concurrency',
          `16 concurrent creates of '${name}': ${won} succeeded, ${exists} VENOMQA_SNAPSHOT_EXISTS, ${settled.length - won - exists} other errors, ${listed.length} in the catalog (${ms} ms)`,
        );
        expect(won).toBe(1);
        expect(exists).toBe(15);
        expect(listed).toHaveLength(1);
        expect(await countRows(server.urlFor('app'))).toBe(ROWS);
        await engine.drop(name);
      }
      expect(tally.other).toEqual([]);
    } finally {
      await Promise.all(engines.map((e) => e.close()));
    }
  });

  it('16 concurrent `venomqa snapshot create` processes of one name: one exits 0, 15 exit 2 with the typed error', async () => {
    const project = await tempProject('race-cli', { 'venomqa.yaml': 'journeys: [journeys]\n' });
    try {
      const env = cliEnv({ VENOMQA_DB_URL: server.urlFor('app') });
      const name = `race_cli_${randomBytes(3).toString('hex')}`;
      const began = performance.now();
      const children = Array.from(
        { length: 16 },
        () => new CliChild(['snapshot', 'create', name], project.dir, env),
      );
      const results = await Promise.all(children.map((c) => c.exited));
      const ms = msSince(began);
      const ok = results.filter((r) => r.exitCode === 0).length;
      const typed = results.filter(
        (r) => r.exitCode === 2 && r.stderr.includes('error VENOMQA_SNAPSHOT_EXISTS'),
      ).length;
      printFigures(
        'concurrency',
        `16 concurrent CLI creates of '${name}': ${ok} exit 0, ${typed} exit 2 VENOMQA_SNAPSHOT_EXISTS, ${16 - ok - typed} other (${ms} ms)`,
      );
      expect(ok, results.map((r) => r.stderr).join('\n')).toBe(1);
      expect(typed).toBe(15);
      await engine.drop(name);
    } finally {
      await project.remove();
    }
  });

  it('16 concurrent creates of distinct names from one source an API keeps reconnecting to', async () => {
    const engines = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        SnapshotEngine.open({
          adminUrl: server.adminUrl,
          workingDatabase: 'app',
          runId: `${runId}-d${i}`,
        }),
      ),
    );
    // An API-like client: reconnects and queries the source as fast as it can.
    let stop = false;
    let served = 0;
    let refused = 0;
    const api = (async () => {
      while (!stop) {
        try {
          await countRows(server.urlFor('app'));
          served += 1;
        } catch {
          refused += 1;
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }
    })();
    const names = engines.map((_, i) => `distinct_${i}_${randomBytes(3).toString('hex')}`);
    try {
      const began = performance.now();
      const settled = await Promise.allSettled(
        engines.map((e, i) => e.snapshot('app', names[i] ?? '')),
      );
      const ms = msSince(began);
      const failures = settled.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
      printFigures(
        'concurrency',
        `16 concurrent creates of distinct names from one busy source: ${16 - failures.length} succeeded, ${failures.length} failed (${ms} ms; the client's queries: ${served} served, ${refused} refused)`,
      );
      expect(failures).toEqual([]);
    } finally {
      stop = true;
      await api;
      for (const name of names) await engine.drop(name).catch(() => undefined);
      await Promise.all(engines.map((e) => e.close()));
    }
  });

  it('leaves the source database accepting connections with its data', async () => {
    const rows = await queryOnce<{ datallowconn: boolean }>(
      server.adminUrl,
      `select datallowconn from pg_database where datname = 'app'`,
    );
    expect(rows[0]?.datallowconn).toBe(true);
    const client = new pg.Client(server.urlFor('app'));
    await client.connect();
    await client.end();
  });
});
