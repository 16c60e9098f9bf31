/* global console, performance, process, URL */
// Journey benchmark: the shop checkout with a heavy prefix (2,000 orders created through the
// API before the checkpoint) and 8 paths. Prints, measured in this run:
//   1. venomqa (prefix once, checkpoint, each path on a clone)  vs  replaying the prefix for
//      every path on a fresh database (what a suite without checkpoints does), both one path
//      at a time;
//   2. parallel_paths 4 against 1.
// Embedded PostgreSQL and the shop API as a process per path. Asserts nothing.
// BENCH_ORDERS=500 changes the prefix, BENCH_ROUNDS the rounds; BENCH_VERBOSE=1 prints each
// run's timeline.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Branch, Checkpoint, Journey, JourneyRunner, Path, Step } from '../dist/index.js';
import { ProcessTarget } from '../dist/api/index.js';
import { SnapshotEngine } from '../dist/snapshot/index.js';
import { TemplateStateManager } from '../dist/state/index.js';
// Internal module: a bench may reach below the public API.
import { startEmbeddedPostgres } from '../dist/server/embedded-postgres.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 2000);
const PATHS = 8;
const repo = fileURLToPath(new URL('..', import.meta.url));

const target = new ProcessTarget({
  command: [process.execPath, path.join(repo, 'examples/shop/server.mjs')],
  env: { DATABASE_URL: '{database_url}', PORT: '{port}' },
  health: '/health',
  startupTimeoutMs: 30_000,
  cwd: repo,
});

const prefix = [
  Step({
    name: 'register',
    action: (api) =>
      api.post('/users', { json: { email: 'b@example.test', name: 'B', password: 'bench-pw' } }),
    expect: { status: 201 },
  }),
  Step({
    name: 'login',
    action: async (api) => {
      const res = await api.post('/login', {
        json: { email: 'b@example.test', password: 'bench-pw' },
      });
      api.setBearerToken(res.json().token);
      return res;
    },
  }),
  Step({
    name: `create_${ORDERS}_orders`,
    action: async (api, ctx) => {
      let last;
      for (let i = 0; i < ORDERS; i++) {
        const res = await api.post('/orders', {
          json: { items: [{ sku: `SKU-${i}`, quantity: 1, unit_price_cents: 100 + i }] },
        });
        if (res.status !== 201) throw new Error(`order ${i}: ${res.status}`);
        last = res.json();
        // Only the last request is kept for the report; 2,000 would only weigh it down.
        api.takeHistory();
      }
      ctx.set('orderId', last.id);
    },
  }),
];

const pathSteps = (i) => [
  Step({
    name: 'sees_all_orders',
    action: async (api) => {
      const stats = (await api.get('/stats')).json();
      if (stats.orders !== ORDERS)
        throw new Error(`expected ${ORDERS} orders, saw ${stats.orders}`);
    },
  }),
  Step({
    name: i % 2 === 0 ? 'pay' : 'cancel',
    action: (api, ctx) =>
      i % 2 === 0
        ? api.post(`/orders/${ctx.require('orderId')}/pay`, {
            json: { method: 'card', card_number: '4242424242424242' },
          })
        : api.post(`/orders/${ctx.require('orderId')}/cancel`),
  }),
];

const branching = Journey({
  name: 'heavy_prefix_branching',
  steps: [
    ...prefix,
    Checkpoint({ name: 'orders_created' }),
    Branch({
      checkpointName: 'orders_created',
      paths: Array.from({ length: PATHS }, (_, i) =>
        Path({ name: `path_${i}`, steps: pathSteps(i) }),
      ),
    }),
  ],
});

const replays = Array.from({ length: PATHS }, (_, i) =>
  Journey({ name: `replay_${i}`, steps: [...prefix, ...pathSteps(i)] }),
);

const server = await startEmbeddedPostgres({
  port: null,
  user: 'bench',
  password: null,
  database: 'postgres',
  startupTimeoutMs: 60_000,
});
const engine = await SnapshotEngine.open({ adminUrl: server.adminUrl });

/** One journey on a new database, as `venomqa run` does; returns its wall time in ms. */
async function timeJourney(journey, parallelPaths) {
  const working = await engine.createEmpty();
  const state = new TemplateStateManager({ connection_url: working.url });
  try {
    await state.connect();
    const began = performance.now();
    const result = await new JourneyRunner({ stateManager: state, target, parallelPaths }).run(
      journey,
    );
    const elapsed = performance.now() - began;
    if (result.status !== 'passed') {
      throw new Error(`${journey.name} failed: ${JSON.stringify(result).slice(0, 2000)}`);
    }
    if (process.env.BENCH_VERBOSE) {
      for (const item of result.items) {
        console.log(
          `  ${item.kind} ${item.name ?? item.checkpointName}: ${item.durationMs.toFixed(0)} ms`,
        );
        for (const p of item.paths ?? [])
          console.log(
            `    path ${p.name}: starts +${Date.parse(p.startedAt) - Date.parse(item.startedAt)} ms, ${p.durationMs.toFixed(0)} ms`,
          );
      }
    }
    return elapsed;
  } finally {
    await state.disconnect();
    await working.drop();
  }
}

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
try {
  console.log(
    `PostgreSQL ${server.version} (embedded); shop API as a process per path; ${ORDERS} orders before the checkpoint, ${PATHS} paths`,
  );
  // One unmeasured run first, so every measured one finds warm caches and a warm server.
  await timeJourney(branching, 4);
  // Rounds interleave the three measurements, so drift on a busy machine hits all of them;
  // medians over the rounds are compared.
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  const sequentials = [];
  const parallels = [];
  const replaysTotal = [];
  for (let round = 0; round < rounds; round++) {
    sequentials.push(await timeJourney(branching, 1));
    parallels.push(await timeJourney(branching, 4));
    let replay = 0;
    for (const journey of replays) replay += await timeJourney(journey, 1);
    replaysTotal.push(replay);
    console.log(
      `round ${round + 1}: venomqa parallel_paths 1 ${s(sequentials.at(-1))}, parallel_paths 4 ${s(parallels.at(-1))}, replaying the prefix for each path ${s(replay)}`,
    );
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [sequential, parallel, replay] = [
    median(sequentials),
    median(parallels),
    median(replaysTotal),
  ];
  console.log(
    `medians of ${rounds}: venomqa (prefix once + checkpoint + ${PATHS} clones) ${s(sequential)} with parallel_paths 1, ${s(parallel)} with 4; replaying the prefix for each of the ${PATHS} paths (fresh database each) ${s(replay)}`,
  );
  console.log(
    `ratio replay / venomqa, whole journeys, one path at a time: ${(replay / sequential).toFixed(1)}x faster with checkpoint + branch`,
  );
  console.log(
    `ratio parallel_paths 1 / parallel_paths 4: ${(sequential / parallel).toFixed(2)}x (machine has ${(await import('node:os')).availableParallelism()} cores)`,
  );
} finally {
  await engine.close();
  await server.stop();
}
