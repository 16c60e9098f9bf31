/* global console, performance, process, URL */
// API slots and the setup cache, measured in one run on one embedded PostgreSQL server:
//   1. the blog example (Fastify + Knex, 22 paths, parallel_paths 4): api.reuse true (one API
//      per slot, its database swapped per path) against false (a fresh API per path);
//   2. the setup phase of the blog example: migrating (knex migrate:latest) against finding
//      the migrated template cached by an earlier run;
//   3. the shop checkout with 8 paths on API slots: parallel_paths 4 against 1.
// Rounds interleave the variants so drift on a busy machine hits all of them; medians are
// compared. Asserts nothing. BENCH_ROUNDS changes the rounds (default 3).
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Branch, Checkpoint, Journey, Path, Step } from '../dist/index.js';
import { resolveConfig } from '../dist/config/index.js';
import { loadJourneys, runJourneys } from '../dist/run/index.js';
import { startEmbeddedPostgres } from '../dist/server/embedded-postgres.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startEmbeddedPostgres({
  port: null,
  user: 'bench',
  password: null,
  database: 'postgres',
  startupTimeoutMs: 60_000,
});

/** `venomqa run` of a config on the bench's server; returns the result and the wall time. */
async function run(configFile, journeys, overrides, options = {}) {
  const config = resolveConfig({
    cwd: repo,
    env: {},
    file: configFile,
    overrides: { report_formats: [], ...overrides },
  });
  const began = performance.now();
  const result = await runJourneys({
    config,
    journeys,
    cwd: path.dirname(configFile),
    server,
    ...options,
  });
  const elapsed = performance.now() - began;
  if (result.failed > 0) throw new Error(`${configFile}: ${JSON.stringify(result).slice(0, 3000)}`);
  return { result, elapsed };
}

const blogConfig = path.join(repo, 'examples/blog/venomqa.yaml');
const blogJourneys = await loadJourneys([path.join(repo, 'examples/blog/journeys')], repo);

const shopConfig = path.join(repo, 'examples/shop/venomqa.yaml');
const shopStep = (name, action) => Step({ name, action });
const shopJourney = Journey({
  name: 'shop_8_paths',
  steps: [
    shopStep('register', (api) =>
      api.post('/users', { json: { email: 'b@example.test', name: 'B', password: 'bench-pw' } }),
    ),
    shopStep('login', async (api) => {
      const res = await api.post('/login', {
        json: { email: 'b@example.test', password: 'bench-pw' },
      });
      api.setBearerToken(res.json().token);
      return res;
    }),
    shopStep('order', async (api, ctx) => {
      const res = await api.post('/orders', {
        json: { items: [{ sku: 'A', quantity: 1, unit_price_cents: 100 }] },
      });
      ctx.set('orderId', res.json().id);
      return res;
    }),
    Checkpoint({ name: 'ordered' }),
    Branch({
      checkpointName: 'ordered',
      paths: Array.from({ length: 8 }, (_, i) =>
        Path({
          name: `path_${i}`,
          steps: [
            shopStep('add_item', (api, ctx) =>
              api.post(`/orders/${ctx.require('orderId')}/items`, {
                json: { sku: `P${i}`, quantity: 1, unit_price_cents: 5 },
              }),
            ),
            shopStep('stats', (api) => api.get('/stats')),
            shopStep(i % 2 ? 'cancel' : 'pay', (api, ctx) =>
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
const shopOverrides = (parallel) => ({ parallel_paths: parallel, api: { mode: 'process' } });

try {
  console.log(
    `PostgreSQL ${server.version} (embedded), ${availableParallelism()} cores; blog: ${blogJourneys.length} journeys, 22 paths, parallel_paths 4; shop: 8 paths`,
  );
  // Warm-up, unmeasured: caches the blog's migrated template and warms every cache.
  await run(blogConfig, blogJourneys, {});
  await run(shopConfig, [{ journey: shopJourney }], shopOverrides(4));

  const reuse = [];
  const fresh = [];
  const migrate = [];
  const cached = [];
  const shop1 = [];
  const shop4 = [];
  for (let round = 1; round <= rounds; round++) {
    const migrating = await run(blogConfig, blogJourneys, {}, { rebuildSetup: true });
    migrate.push(migrating.result.setup.durationMs);
    const withReuse = await run(blogConfig, blogJourneys, { api: { reuse: true } });
    reuse.push(withReuse.elapsed - withReuse.result.setup.durationMs);
    cached.push(withReuse.result.setup.durationMs);
    const withoutReuse = await run(blogConfig, blogJourneys, { api: { reuse: false } });
    fresh.push(withoutReuse.elapsed - withoutReuse.result.setup.durationMs);
    shop1.push((await run(shopConfig, [{ journey: shopJourney }], shopOverrides(1))).elapsed);
    shop4.push((await run(shopConfig, [{ journey: shopJourney }], shopOverrides(4))).elapsed);
    console.log(
      `round ${round}: blog journeys api.reuse true ${s(reuse.at(-1))}, false ${s(fresh.at(-1))}; setup migrating ${s(migrate.at(-1))}, cached ${s(cached.at(-1))}; shop parallel_paths 1 ${s(shop1.at(-1))}, 4 ${s(shop4.at(-1))}`,
    );
  }
  console.log(
    `ratio blog api.reuse false / true (journeys, setup excluded), medians of ${rounds}: ${(median(fresh) / median(reuse)).toFixed(2)}x faster with API slots`,
  );
  console.log(
    `setup phase, medians of ${rounds}: migrating ${s(median(migrate))}, cached template ${s(median(cached))} (${(median(migrate) / median(cached)).toFixed(1)}x)`,
  );
  console.log(
    `ratio shop parallel_paths 1 / 4 on API slots, medians of ${rounds}: ${(median(shop1) / median(shop4)).toFixed(2)}x`,
  );
} finally {
  await server.stop();
}
