/* global console, performance, process, URL */
// What state diffs cost (report.diff), measured in one run on one embedded PostgreSQL server:
//   1. the shop example's journeys as they are (5 paths, one nested branch, parallel_paths 3,
//      the shop API as a process per slot): report.diff off against failed and all;
//   2. the shop with a heavy prefix (BENCH_ORDERS orders, default 2,000, created through the
//      API before the checkpoint) and 8 paths: the same three, where each checkpoint capture
//      reads every order and item, and each path's database is read by row hash.
// Goal: all at most 10% slower than off on the shop journeys. Every path passes, so failed
// reads nothing (it reads a checkpoint only when a path from it fails): it shows the noise.
// Rounds interleave the variants (rotating which goes first) so drift on a busy machine
// hits them all; medians are compared. Where the time goes: the checkpoint captures (on the
// journey's main line, before its branch starts) and the path diffs (each while its path holds
// its API slot), summed per run: together, as a share of off's median, they bound what diffs
// add from above (paths on different slots overlap) and are steadier than the wall-time ratio
// when the machine is busy. Asserts nothing. BENCH_ROUNDS changes the rounds (default 7);
// BENCH_ORDERS=0 runs the shop journeys alone.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Branch, Checkpoint, Journey, Path, Step } from '../dist/index.js';
import { resolveConfig } from '../dist/config/index.js';
import { loadJourneys, runJourneys } from '../dist/run/index.js';
// Internal module: a bench may reach below the public API.
import { startEmbeddedPostgres } from '../dist/server/embedded-postgres.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 2000);
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const pct = (ratio) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startEmbeddedPostgres({
  port: null,
  user: 'bench',
  password: null,
  database: 'postgres',
  startupTimeoutMs: 60_000,
});

const shopConfig = path.join(repo, 'examples/shop/venomqa.yaml');
const shopJourneys = await loadJourneys([path.join(repo, 'examples/shop/journeys')], repo);

const step = (name, action) => Step({ name, action });
const heavyJourney = Journey({
  name: `shop_${ORDERS}_orders_8_paths`,
  steps: [
    step('register', (api) =>
      api.post('/users', { json: { email: 'd@example.test', name: 'D', password: 'bench-pw' } }),
    ),
    step('login', async (api) => {
      const res = await api.post('/login', {
        json: { email: 'd@example.test', password: 'bench-pw' },
      });
      api.setBearerToken(res.json().token);
      return res;
    }),
    step(`create_${ORDERS}_orders`, async (api, ctx) => {
      let last;
      for (let i = 0; i < ORDERS; i++) {
        const res = await api.post('/orders', {
          json: { items: [{ sku: `SKU-${i}`, quantity: 1, unit_price_cents: 100 + i }] },
        });
        if (res.status !== 201) throw new Error(`order ${i}: ${res.status}`);
        last = res.json();
        api.takeHistory();
      }
      ctx.set('orderId', last.id);
    }),
    Checkpoint({ name: 'ordered' }),
    Branch({
      checkpointName: 'ordered',
      paths: Array.from({ length: 8 }, (_, i) =>
        Path({
          name: `path_${i}`,
          steps: [
            step('add_item', (api, ctx) =>
              api.post(`/orders/${ctx.require('orderId')}/items`, {
                json: { sku: `P${i}`, quantity: 1, unit_price_cents: 5 },
              }),
            ),
            step(i % 2 ? 'cancel' : 'pay', (api, ctx) =>
              i % 2
                ? api.post(`/orders/${ctx.require('orderId')}/cancel`)
                : api.post(`/orders/${ctx.require('orderId')}/pay`, {
                    json: { method: 'card', card_number: '4242424242424242' },
                  }),
            ),
          ],
        }),
      ),
    }),
  ],
});

const CAPTURED = /^Captured checkpoint .* for state diffs \((\d+) ms\)$/;

/**
 * `venomqa run` of the shop config with report.diff set: the wall time, and the time the
 * checkpoint captures and the path diffs took (summed; paths on different slots overlap).
 */
async function run(journeys, diff, overrides = {}) {
  const config = resolveConfig({
    cwd: repo,
    env: {},
    file: shopConfig,
    overrides: {
      report_formats: [],
      verbose: true,
      api: { mode: 'process' },
      report: { diff },
      ...overrides,
    },
  });
  let captureMs = 0;
  const onEvent = (event) => {
    const captured = event.type === 'state' ? CAPTURED.exec(event.line) : null;
    if (captured) captureMs += Number(captured[1]);
  };
  const began = performance.now();
  const result = await runJourneys({
    config,
    journeys,
    cwd: path.dirname(shopConfig),
    server,
    onEvent,
  });
  const elapsed = performance.now() - began;
  if (result.failed > 0) throw new Error(JSON.stringify(result).slice(0, 3000));
  const diffs = [];
  const visit = (items) => {
    for (const item of items) {
      if (item.kind !== 'branch') continue;
      for (const p of item.paths) {
        if (p.stateDiff) diffs.push(p.stateDiff);
        visit(p.items);
      }
    }
  };
  for (const journey of result.journeys) visit(journey.items);
  const errors = diffs.filter((d) => d.error);
  if (errors.length > 0) throw new Error(`diff failed: ${errors[0].error.message}`);
  const diffMs = diffs.reduce((sum, d) => sum + d.durationMs, 0);
  return { elapsed, diffs: diffs.length, captureMs, diffMs };
}

const MODES = ['off', 'failed', 'all'];

async function compare(name, journeys, overrides, count) {
  const runs = Object.fromEntries(MODES.map((mode) => [mode, []]));
  for (let round = 1; round <= count; round++) {
    // Rotate the order: each variant goes first, second and third equally often.
    const order = MODES.map((_, i) => MODES[(i + round) % MODES.length]);
    for (const mode of order) runs[mode].push(await run(journeys, mode, overrides));
    console.log(
      `${name} round ${round}: ${MODES.map((m) => `${m} ${s(runs[m].at(-1).elapsed)}`).join(', ')}`,
    );
  }
  const med = (mode, field) => median(runs[mode].map((r) => r[field]));
  const off = med('off', 'elapsed');
  console.log(`${name}, medians of ${count}:`);
  console.log(`  off     ${s(off)}`);
  for (const mode of ['failed', 'all']) {
    const ratio = med(mode, 'elapsed') / off;
    const paths = runs[mode].at(-1).diffs;
    const work = med(mode, 'captureMs') + med(mode, 'diffMs');
    console.log(
      `  ${mode.padEnd(7)} ${s(med(mode, 'elapsed'))}  ratio ${ratio.toFixed(3)} (${pct(ratio)}); checkpoint captures ${s(med(mode, 'captureMs'))}, ${paths} path diffs ${s(med(mode, 'diffMs'))}, together ${((work / off) * 100).toFixed(1)}% of off`,
    );
  }
}

try {
  console.log(
    `PostgreSQL ${server.version} (embedded); shop example: ${shopJourneys.length} journey(s)`,
  );
  // Warm-up, unmeasured.
  await run(shopJourneys, 'all');
  await compare('shop example journeys', shopJourneys, {}, rounds);
  if (ORDERS > 0) {
    await compare(
      `shop with ${ORDERS} orders, 8 paths, parallel_paths 4`,
      [{ journey: heavyJourney }],
      { parallel_paths: 4 },
      Math.max(1, Math.ceil(rounds / 2)),
    );
  }
} finally {
  await server.stop();
}
