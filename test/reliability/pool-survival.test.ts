import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgBouncer } from '../../src/server/pgbouncer.js';
import { startPgBouncer } from '../../src/server/start-pgbouncer.js';
import type { PostgresServer } from '../../src/server/postgres-server.js';
import { queryOnce } from '../../src/server/wait-for-postgres.js';
import { SnapshotEngine, type Clone } from '../../src/snapshot/snapshot-engine.js';
import type { WarmPool } from '../../src/snapshot/warm-pool.js';
import { request, startPoolApi } from './support/pool-api.mjs';
import { formatCodes, measureSwaps, type SwapResult } from './support/pool-survival.mjs';
import { localPgBouncerAvailable } from './support/pgbouncer-available.js';
import { startServer } from './support/servers.js';

// API slots swap a path's checkpoint in under a running API. These are the README's two
// recommendations, each held to 0 failed API requests across 100 swaps: behind PgBouncer any
// of the common pools, even busy during the swap; without a pooler, the pools that drop the
// connections a swap ended, with the runner's health probe before the first request.
const SWAPS = 100;
const ROWS = 1000;
const hasPgBouncer = await localPgBouncerAvailable();

function report(label: string, results: Record<string, SwapResult>): void {
  for (const [fixture, r] of Object.entries(results)) {
    console.log(
      `${label} ${fixture}: ${SWAPS} swaps, failed first requests ${r.firstFailed} (${formatCodes(r.firstCodes)}), ` +
        `failed background requests ${r.hammerFailed} of ${r.hammered} (${formatCodes(r.hammerCodes)}), API deaths ${r.deaths}`,
    );
  }
}

function failures(results: Record<string, SwapResult>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(results).map(([fixture, r]) => [
      fixture,
      r.firstFailed + r.hammerFailed + r.deaths + r.wrongData,
    ]),
  );
}

describe('API pools across slot swaps (embedded PostgreSQL)', () => {
  let server: PostgresServer;
  let pooler: PgBouncer | undefined;
  let gated: SnapshotEngine | undefined;
  let plain: SnapshotEngine;

  beforeAll(async () => {
    server = await startServer('embedded');
    if (hasPgBouncer) {
      pooler = await startPgBouncer({ serverUrl: server.adminUrl, server });
      gated = await SnapshotEngine.open({ adminUrl: server.adminUrl, connectionGate: pooler });
    }
    plain = await SnapshotEngine.open({ adminUrl: server.adminUrl });
    const seed = await plain.createEmpty();
    await queryOnce(
      seed.url,
      `create table items (id serial primary key, name text not null);
       insert into items (name) select 'seed-' || g from generate_series(1, ${ROWS}) g;`,
    );
    await plain.snapshot(seed.database, 'pool-seed', { scope: 'run' });
    await seed.drop();
  });

  afterAll(async () => {
    try {
      await plain?.drop('pool-seed');
    } finally {
      await plain?.close();
      await gated?.close();
      await pooler?.stop();
      await server?.stop();
    }
  });

  /** A slot database and a warm pool of clones to swap into it, released afterwards. */
  async function withSlot<T>(
    engine: SnapshotEngine,
    work: (slot: Clone, swap: () => Promise<unknown>) => Promise<T>,
  ): Promise<T> {
    const [slot] = await engine.clone('pool-seed', 1);
    if (!slot) throw new Error('no slot database');
    const warm: WarmPool<Clone> = await engine.pool('pool-seed', 2);
    try {
      return await work(slot, async () => engine.swapIn(slot.database, await warm.acquire()));
    } finally {
      await warm.dispose();
      await slot.drop();
    }
  }

  it.skipIf(!hasPgBouncer)(
    'behind PgBouncer, no request of any pool fails, first after a swap or during it',
    async () => {
      if (!gated || !pooler) throw new Error('PgBouncer did not start');
      const through = pooler;
      const results = await withSlot(gated, (slot, swap) =>
        measureSwaps({
          fixtures: ['pg-pool', 'knex', 'typeorm', 'drizzle'],
          databaseUrl: through.urlFor(slot.database),
          swap,
          swaps: SWAPS,
          probe: false,
          hammer: 1,
          expectedCount: ROWS,
        }),
      );
      report('PgBouncer', results);
      expect(failures(results)).toEqual({ 'pg-pool': 0, knex: 0, typeorm: 0, drizzle: 0 });
    },
  );

  it('without a pooler, pools that drop ended connections answer the first request after every swap', async () => {
    const results = await withSlot(plain, (slot, swap) =>
      measureSwaps({
        fixtures: ['pg-pool', 'knex', 'typeorm'],
        databaseUrl: slot.url,
        swap,
        swaps: SWAPS,
        probe: true,
        expectedCount: ROWS,
      }),
    );
    report('no pooler', results);
    expect(failures(results)).toEqual({ 'pg-pool': 0, knex: 0, typeorm: 0 });
  });

  it("without a pooler, an app on Drizzle's documented setup dies at the first swap", async () => {
    await withSlot(plain, async (slot, swap) => {
      const api = await startPoolApi('drizzle', slot.url);
      try {
        // A request leaves an idle connection in its pool for the swap to end.
        expect((await request(api, 'GET', '/count')).ok).toBe(true);
        await swap();
        const deadline = Date.now() + 10_000;
        while (!api.exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        expect(api.exited).toBe(true);
        expect(api.stderr().join('\n')).toMatch(/terminating connection due to administrator/);
      } finally {
        await api.stop();
      }
    });
  });
});
