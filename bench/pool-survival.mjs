/* global console, process */
// Pool survival benchmark: what the common Node pools (node-postgres, Knex/tarn, TypeORM,
// Drizzle over pg) make of API-slot swaps, where the slot database is replaced in place
// (`SnapshotEngine.swapIn` of a fresh clone) under a running app. For each pool's fixture API
// (test/fixtures/pools) it prints: failed first requests after a swap, without and with a
// GET /health probe first (the runner probes), API processes that died, and failed requests
// while two clients hammer the API through the swaps. Asserts nothing.
//
//   npm run build && node bench/pool-survival.mjs [--swaps 100] [--provider embedded|docker]
//     [--pooler none|pgbouncer] [--pools pg-pool,knex,typeorm,drizzle] [--image …]
import { parseArgs } from 'node:util';
import { SnapshotEngine } from '../dist/snapshot/index.js';
import { startDockerPostgres } from '../dist/server/docker-postgres.js';
import { startEmbeddedPostgres } from '../dist/server/embedded-postgres.js';
import { queryOnce } from '../dist/server/wait-for-postgres.js';
import { startPgBouncer } from '../dist/server/index.js';
import { POOL_FIXTURES } from '../test/reliability/support/pool-api.mjs';
import { formatCodes, measureSwaps } from '../test/reliability/support/pool-survival.mjs';

const { values: args } = parseArgs({
  options: {
    swaps: { type: 'string', default: '100' },
    provider: { type: 'string', default: 'embedded' },
    pooler: { type: 'string', default: 'none' },
    pools: { type: 'string', default: POOL_FIXTURES.join(',') },
    image: { type: 'string', default: 'venomqa/postgres:17' },
  },
});
const swaps = Number(args.swaps);
const ROWS = 1000;

async function startServer(provider) {
  const common = {
    port: null,
    user: 'bench',
    password: null,
    database: 'postgres',
    startupTimeoutMs: 60_000,
  };
  if (provider === 'embedded') return startEmbeddedPostgres(common);
  return startDockerPostgres({
    ...common,
    image: args.image,
    baseImage: process.env.VENOMQA_BASE_IMAGE ?? 'debian:trixie-slim',
    network: process.env.VENOMQA_SERVER_NETWORK ?? 'host',
    tmpfs: true,
  });
}

const server = await startServer(args.provider);
const pooler =
  args.pooler === 'pgbouncer'
    ? await startPgBouncer({ serverUrl: server.adminUrl, server })
    : undefined;
const engine = await SnapshotEngine.open({
  adminUrl: server.adminUrl,
  ...(pooler ? { connectionGate: pooler } : {}),
});
const rows = [];
try {
  console.log(
    `PostgreSQL ${server.version} (${args.provider}), pooler ${args.pooler}, ${swaps} swaps per cell`,
  );
  const seed = await engine.createEmpty();
  await queryOnce(
    seed.url,
    `create table items (id serial primary key, name text not null);
     insert into items (name) select 'seed-' || g from generate_series(1, ${ROWS}) g;`,
  );
  await engine.snapshot(seed.database, 'pool-seed', { scope: 'run' });
  for (const fixture of args.pools.split(',')) {
    const [slot] = await engine.clone('pool-seed', 1);
    const warm = await engine.pool('pool-seed', 2);
    try {
      const measure = (options) =>
        measureSwaps({
          fixtures: [fixture],
          databaseUrl: pooler ? pooler.urlFor(slot.database) : slot.url,
          swap: async () => engine.swapIn(slot.database, await warm.acquire()),
          swaps,
          expectedCount: ROWS,
          ...options,
        }).then((r) => r[fixture]);
      const bare = await measure({ probe: false });
      const probed = await measure({ probe: true });
      const hammered = await measure({ probe: true, hammer: 2 });
      rows.push({ fixture, bare, probed, hammered });
      console.log(
        `${fixture}: first request failed ${bare.firstFailed}/${swaps} (${formatCodes(bare.firstCodes)}), ` +
          `after GET /health ${probed.firstFailed}/${swaps} (${formatCodes(probed.firstCodes)}), ` +
          `hammered ${hammered.hammerFailed}/${hammered.hammered} (${formatCodes(hammered.hammerCodes)}); ` +
          `API deaths ${bare.deaths} / ${probed.deaths} / ${hammered.deaths}`,
      );
    } finally {
      await warm.dispose();
      await slot.drop();
    }
  }
  console.log();
  console.log(
    '| pool | swaps | failed first requests | … after GET /health | API deaths | failed during window (of requests) |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const { fixture, bare, probed, hammered } of rows) {
    console.log(
      `| ${fixture} | ${swaps} | ${bare.firstFailed} | ${probed.firstFailed} | ` +
        `${bare.deaths + probed.deaths + hammered.deaths} | ${hammered.hammerFailed} (${hammered.hammered}) |`,
    );
  }
} finally {
  await engine.close();
  await pooler?.stop();
  await server.stop();
}
