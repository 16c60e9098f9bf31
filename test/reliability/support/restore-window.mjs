/* global performance */
// The restore window under reconnect storms: clients that query as fast as they can and retry
// 1 ms after every error, while a database is restored in place again and again. Shared by
// bench/restore-window.mjs and test/reliability/restore-window.test.ts.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

export const WINDOW_TABLE_ROWS = 20_000;

/** The table the clients count, and its content's fingerprint (rows and a hash of them). */
export const WINDOW_TABLE_SQL = `create table accounts as
  select g as id, md5(g::text) as note from generate_series(1, ${WINDOW_TABLE_ROWS}) g;
  alter table accounts add primary key (id);`;

/** `sql` on a connection of its own to `url`; its rows. */
export async function queryOnce(url, sql) {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

export async function fingerprint(url) {
  const [row] = await queryOnce(
    url,
    `select count(*)::int as rows, coalesce(sum(hashtext(id || note)), 0)::text as hash from accounts`,
  );
  return `${row.rows}:${row.hash}`;
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

/**
 * Restore `restores` times while `clients` connections of one pg.Pool (max `clients`) run
 * `select count(*) from accounts` back to back, each retried 1 ms after an error. After each
 * restore the target is compared with the snapshot (`verify` returns its fingerprint) and then
 * changed (`dirty`), so the next restore has something to undo.
 *
 * @returns per restore: the longest gap between two successful queries (any client), the
 *   failed queries, and whether the data equalled the snapshot's `expected` fingerprint.
 */
export async function measureRestoreWindow({
  clientUrl,
  restore,
  verify,
  dirty,
  expected,
  restores = 20,
  clients = 5,
}) {
  const pool = new pg.Pool({ connectionString: clientUrl, max: clients });
  pool.on('error', () => undefined); // ended idle clients; the workers retry
  let running = true;
  let lastOk = performance.now();
  let longest = 0;
  let failed = 0;
  const codes = {};
  const worker = async () => {
    while (running) {
      try {
        await pool.query('select count(*) from accounts');
        const now = performance.now();
        longest = Math.max(longest, now - lastOk);
        lastOk = now;
      } catch (error) {
        failed += 1;
        const code = error.code ?? 'no code';
        codes[code] = (codes[code] ?? 0) + 1;
        await sleep(1);
      }
    }
  };
  const workers = Array.from({ length: clients }, worker);
  const rounds = [];
  try {
    // The clients' own connections (and a pooler's server connections) being opened are not a
    // restore's window: the first round had measured them, 90–200 ms, as its longest gap.
    await sleep(500);
    for (let r = 0; r < restores; r++) {
      await sleep(50);
      const failedBefore = failed;
      longest = 0;
      lastOk = performance.now();
      const restored = await restore();
      // The gap that spans the window ends with the first success after it.
      const settled = performance.now();
      while (lastOk < settled && performance.now() - settled < 5000) await sleep(5);
      await sleep(20);
      const equal = (await verify()) === expected;
      const windowMs = restored?.unavailableMs ?? null;
      rounds.push({ longestGapMs: longest, failed: failed - failedBefore, equal, windowMs });
      await dirty();
    }
  } finally {
    running = false;
    await Promise.all(workers);
    await pool.end();
  }
  return { rounds, codes };
}

/** One printed line of figures for a measurement. */
export function summarise(label, { rounds, codes }, restored = true) {
  const gaps = rounds.map((r) => r.longestGapMs);
  const failed = rounds.reduce((sum, r) => sum + r.failed, 0);
  const equal = rounds.filter((r) => r.equal).length;
  const windows = rounds.flatMap((r) => (r.windowMs === null ? [] : [r.windowMs]));
  const windowText = windows.length
    ? `; window p50 ${percentile(windows, 0.5).toFixed(1)} ms, p95 ${percentile(windows, 0.95).toFixed(1)} ms`
    : '';
  const codeText = Object.entries(codes)
    .map(([code, n]) => `${code}×${n}`)
    .join(' ');
  return (
    `${label}: longest gap p50 ${percentile(gaps, 0.5).toFixed(1)} ms, p95 ${percentile(gaps, 0.95).toFixed(1)} ms; ` +
    `failed queries per restore ${(failed / rounds.length).toFixed(1)}${codeText ? ` (${codeText})` : ''}; ` +
    (restored
      ? `data equal to the snapshot after ${equal}/${rounds.length} restores${windowText}`
      : `no restores (the machine's noise floor)`)
  );
}
