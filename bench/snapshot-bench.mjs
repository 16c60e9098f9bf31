/* global console, setTimeout, performance */
// Snapshot engine benchmark: clone time against a raw copy of the same database files on the
// same disk, warm-pool wait, and the longest query gap five busy clients see across a restore.
// Prints ratios measured in this run; asserts nothing. Run with `npm run bench` (builds first).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';

import { join } from 'node:path';
import pg from 'pg';
import { SnapshotEngine } from '../dist/snapshot/index.js';
// Internal modules: a bench may reach below the public API.
import { startEmbeddedPostgres } from '../dist/server/embedded-postgres.js';
import { queryOnce } from '../dist/server/wait-for-postgres.js';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (n) => `${n.toFixed(1)} ms`;

async function timeIt(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** pgbench-like data: accounts with a filler column, about `mb` megabytes. */
async function load(url, mb) {
  const rows = Math.round(mb * 6200);
  await queryOnce(
    url,
    `create table accounts (aid int primary key, bid int, abalance int, filler char(84));
     insert into accounts select g, g % 100, 0, '' from generate_series(1, ${rows}) g;`,
  );
  await queryOnce(url, 'vacuum analyze accounts');
}

const server = await startEmbeddedPostgres({
  port: null,
  user: 'bench',
  password: null,
  database: 'postgres',
  startupTimeoutMs: 60_000,
});
const engine = await SnapshotEngine.open({ adminUrl: server.adminUrl, workingDatabase: 'app_20' });
const pgdata = execFileSync('readlink', [`/proc/${server.id}/cwd`])
  .toString()
  .trim();
try {
  console.log(`PostgreSQL ${server.version} (embedded), data in ${pgdata}`);
  for (const mb of [20, 150]) {
    const db = `app_${mb}`;
    await queryOnce(server.adminUrl, `create database ${db}`);
    await load(server.urlFor(db), mb);
    const [{ oid, size }] = await queryOnce(
      server.adminUrl,
      `select oid::text, pg_size_pretty(pg_database_size(oid)) as size from pg_database where datname = $1`,
      [db],
    );
    // Snapshot time (lockout, drain, copy, mark as template), also five times.
    const snapshotTimes = [];
    for (let i = 0; i < 5; i++) {
      snapshotTimes.push(await timeIt(() => engine.snapshot(db, `bench-${mb}-s${i}`)));
      await engine.drop(`bench-${mb}-s${i}`);
    }
    await engine.snapshot(db, `bench-${mb}`);
    const cloneTimes = [];
    const copyTimes = [];
    for (let i = 0; i < 5; i++) {
      let clones;
      cloneTimes.push(
        await timeIt(async () => {
          clones = await engine.clone(`bench-${mb}`, 1);
        }),
      );
      await clones[0].drop();
      const target = mkdtempSync(join(pgdata, '..', 'bench-copy-'));
      copyTimes.push(
        await timeIt(async () => {
          execFileSync('cp', ['-r', join(pgdata, 'base', oid), join(target, 'copy')]);
        }),
      );
      rmSync(target, { recursive: true, force: true });
    }
    const ratio = median(cloneTimes) / median(copyTimes);
    console.log(
      `${size} database: snapshot median ${ms(median(snapshotTimes))} (ratio ${(median(snapshotTimes) / median(copyTimes)).toFixed(2)}), clone median ${ms(median(cloneTimes))}, cp -r median ${ms(median(copyTimes))}, clone/cp ratio ${ratio.toFixed(2)}`,
    );
  }

  // Warm pool: how long a caller waits for a clone that is ready.
  const pool = await engine.pool('bench-20', 4);
  await pool.filled();
  const waits = [];
  for (let i = 0; i < 20; i++) {
    await pool.filled();
    let clone;
    waits.push(
      await timeIt(async () => {
        clone = await pool.acquire();
      }),
    );
    await clone.drop();
  }
  await pool.dispose();
  console.log(`warm pool wait: p50 ${ms(pct(waits, 0.5))}, p95 ${ms(pct(waits, 0.95))}`);

  // Restore with five busy clients: the longest gap between two successful queries.
  const clients = new pg.Pool({ connectionString: server.urlFor('app_20'), max: 5 });
  clients.on('error', () => undefined);
  const gaps = [];
  const windows = [];
  for (let r = 0; r < 20; r++) {
    let running = true;
    let last = performance.now();
    let longest = 0;
    const worker = async () => {
      while (running) {
        try {
          await clients.query('select abalance from accounts where aid = 1');
          const now = performance.now();
          longest = Math.max(longest, now - last);
          last = now;
        } catch {
          /* refused during the window; the pool reconnects */
        }
      }
    };
    const workers = Array.from({ length: 5 }, worker);
    await new Promise((res) => setTimeout(res, 50));
    longest = 0;
    last = performance.now();
    const { unavailableMs } = await engine.restore('app_20', 'bench-20');
    await new Promise((res) => setTimeout(res, 100));
    running = false;
    await Promise.all(workers);
    gaps.push(longest);
    windows.push(unavailableMs);
  }
  await clients.end();
  console.log(
    `restore under 5 busy clients (20 restores): longest query gap p50 ${ms(pct(gaps, 0.5))}, p95 ${ms(pct(gaps, 0.95))}; lockout window p95 ${ms(pct(windows, 0.95))}`,
  );
  await engine.drop('bench-20');
  await engine.drop('bench-150');
} finally {
  await engine.close();
  await server.stop();
}
