import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpClient } from '../../../src/http/http-client.js';
import {
  Branch,
  Checkpoint,
  Journey,
  Path,
  Step,
  type JourneyItem,
} from '../../../src/journey/index.js';
import { JourneyRunner } from '../../../src/runner/journey-runner.js';
import type { BranchResult, ItemResult, PathResult } from '../../../src/result/run-result.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { SnapshotEngine, type Clone } from '../../../src/snapshot/snapshot-engine.js';
import { TemplateStateManager } from '../../../src/state/template-state-manager.js';
import checkout from '../../../examples/shop/journeys/checkout.journey.js';
import { startTestPostgres } from '../state/embedded-server.js';
import { shopProcessTarget, shopProcesses, venomqaDatabases } from './shop-fixture.js';

interface Order {
  id: number;
  items: { sku: string }[];
}

const order = async (api: HttpClient, id: unknown) =>
  (await api.get(`/orders/${String(id)}`)).json<Order>();

const addItem = (name: string, sku: string) =>
  Step({
    name,
    action: (api, ctx) =>
      api.post(`/orders/${String(ctx.require('orderId'))}/items`, {
        json: { sku, quantity: 1, unit_price_cents: 1 },
      }),
    expect: { status: 201 },
  });

const seesItems = (name: string, skus: string[]) =>
  Step({
    name,
    action: async (api, ctx) => {
      expect((await order(api, ctx.require('orderId'))).items.map((i) => i.sku)).toEqual(skus);
    },
  });

/** register → login → order with one item → checkpoint `order_open`. */
const prefix: JourneyItem[] = [
  Step({
    name: 'register',
    action: (api) =>
      api.post('/users', { json: { email: 's@example.test', name: 'S', password: 'pw-123456' } }),
    expect: { status: 201 },
  }),
  Step({
    name: 'login',
    action: async (api) => {
      const res = await api.post('/login', {
        json: { email: 's@example.test', password: 'pw-123456' },
      });
      api.setBearerToken(res.json<{ token: string }>().token);
      return res;
    },
  }),
  Step({
    name: 'create_order',
    action: async (api, ctx) => {
      const res = await api.post('/orders', {
        json: { items: [{ sku: 'BASE', quantity: 1, unit_price_cents: 100 }] },
      });
      ctx.set('orderId', res.json<Order>().id);
      return res;
    },
    expect: { status: 201 },
  }),
  Checkpoint({ name: 'order_open' }),
];

function allPaths(items: readonly ItemResult[]): PathResult[] {
  return items
    .filter((i): i is BranchResult => i.kind === 'branch')
    .flatMap((b) => b.paths.flatMap((p) => [p, ...allPaths(p.items)]));
}

describe('API slots: one API per slot, its database swapped for each path', () => {
  let server: PostgresServer;
  let engine: SnapshotEngine;

  beforeAll(async () => {
    server = await startTestPostgres();
    engine = await SnapshotEngine.open({ adminUrl: server.adminUrl });
  });

  afterAll(async () => {
    await engine?.close();
    await server?.stop();
  });

  async function runOn<T>(work: (state: TemplateStateManager, working: Clone) => Promise<T>) {
    const working = await engine.createEmpty();
    const state = new TemplateStateManager({ connection_url: working.url });
    try {
      await state.connect();
      return await work(state, working);
    } finally {
      await state.disconnect();
      await working.drop();
    }
  }

  it('runs every path on one slot: a path after a writer sees none of its writes, and the API starts once', async () => {
    const journey = Journey({
      name: 'same_slot',
      steps: [
        ...prefix,
        addItem('add_on_the_line', 'LINE'),
        Branch({
          checkpointName: 'order_open',
          paths: [
            Path({
              name: 'writer',
              steps: [addItem('write', 'W'), seesItems('sees', ['BASE', 'W'])],
            }),
            Path({ name: 'reader', steps: [seesItems('sees_none_of_the_writer', ['BASE'])] }),
            Path({
              name: 'writer_2',
              steps: [addItem('write', 'X'), seesItems('sees', ['BASE', 'X'])],
            }),
            Path({ name: 'reader_2', steps: [seesItems('sees_none_of_the_writers', ['BASE'])] }),
          ],
        }),
        // The line goes on from where it was before the branch, back on the slot.
        seesItems('line_goes_on_from_before_the_branch', ['BASE', 'LINE']),
      ],
    });
    const result = await runOn((stateManager) =>
      new JourneyRunner({ stateManager, target: shopProcessTarget(), parallelPaths: 1 }).run(
        journey,
      ),
    );
    expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
    expect(result.apiReuse).toBe(true);
    const paths = allPaths(result.items);
    expect(paths.map((p) => p.slot?.id)).toEqual([1, 1, 1, 1]);
    // The main line, four paths and the line again after the branch: one API, five swaps.
    expect(result.slots).toHaveLength(1);
    expect(result.slots?.[0]?.apiStarts).toBe(1);
    expect(result.slots?.[0]?.swaps).toBe(5);
    expect(result.slots?.[0]?.swapUnavailableMs).toHaveLength(5);
    expect(paths.every((p) => p.slot?.apiStartMs === undefined)).toBe(true);
    expect(await shopProcesses()).toEqual([]);
    expect(await venomqaDatabases(server)).toEqual([]);
  });

  it('runs nested branches on one slot without waiting for itself', async () => {
    const result = await runOn((stateManager) =>
      new JourneyRunner({ stateManager, target: shopProcessTarget(), parallelPaths: 1 }).run(
        checkout,
      ),
    );
    expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
    expect(allPaths(result.items).map((p) => `${p.qualifiedName}:${p.status}`)).toEqual([
      'pay_by_card:passed',
      'cancel:passed',
      'add_item_then_pay:passed',
      'add_item_then_pay/pay:passed',
      'add_item_then_pay/declined_then_cancel:passed',
    ]);
    expect(result.slots?.map((s) => s.apiStarts)).toEqual([1]);
    expect(await shopProcesses()).toEqual([]);
    expect(await venomqaDatabases(server)).toEqual([]);
  });

  it('starts the API again when it dies during a path, retries the path once and says so', async () => {
    let killed = false;
    const journey = Journey({
      name: 'api_dies',
      steps: [
        ...prefix,
        Branch({
          checkpointName: 'order_open',
          paths: [
            Path({
              name: 'crashes_the_api',
              steps: [
                addItem('write', 'W'),
                Step({
                  name: 'api_killed_once',
                  action: async (api, ctx) => {
                    if (!killed) {
                      killed = true;
                      const [line] = await shopProcesses();
                      process.kill(Number(line?.split(/\s+/)[0]), 'SIGKILL');
                      await new Promise((resolve) => setTimeout(resolve, 200));
                    }
                    expect((await order(api, ctx.require('orderId'))).items).toHaveLength(2);
                  },
                }),
              ],
            }),
            Path({ name: 'after_it', steps: [seesItems('sees_the_checkpoint', ['BASE'])] }),
          ],
        }),
      ],
    });
    const result = await runOn((stateManager) =>
      new JourneyRunner({ stateManager, target: shopProcessTarget(), parallelPaths: 1 }).run(
        journey,
      ),
    );
    expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
    const [crashed, after] = allPaths(result.items);
    expect(crashed?.retried).toMatch(/the API was killed by SIGKILL|exited|signal/);
    expect(crashed?.retried).toMatch(/retried once/);
    expect(crashed?.slot?.apiStartMs).toBeGreaterThan(0);
    expect(after?.retried).toBeUndefined();
    expect(result.slots?.[0]?.apiStarts).toBe(2);
    expect(await shopProcesses()).toEqual([]);
    expect(await venomqaDatabases(server)).toEqual([]);
  });

  it('on abort (Ctrl-C) mid-path releases every slot API and database', async () => {
    const controller = new AbortController();
    const waits = (name: string) =>
      Path({
        name,
        steps: [
          Step({
            name: 'long',
            action: async (api) => {
              setTimeout(() => controller.abort(new Error('interrupted')), 300);
              await new Promise((resolve) => setTimeout(resolve, 5_000));
              return api.get('/stats');
            },
          }),
        ],
      });
    const result = await runOn((stateManager) =>
      new JourneyRunner({
        stateManager,
        target: shopProcessTarget(),
        parallelPaths: 2,
        signal: controller.signal,
      }).run(
        Journey({
          name: 'interrupted',
          steps: [
            ...prefix,
            Branch({ checkpointName: 'order_open', paths: ['a', 'b', 'c'].map(waits) }),
          ],
        }),
      ),
    );
    expect(result.status).not.toBe('passed');
    expect(allPaths(result.items).some((p) => p.status === 'skipped')).toBe(true);
    expect(await shopProcesses()).toEqual([]);
    expect(await venomqaDatabases(server)).toEqual([]);
  });

  it('with reuse off starts an API per path, as before slots', async () => {
    const result = await runOn((stateManager) =>
      new JourneyRunner({
        stateManager,
        target: shopProcessTarget(),
        parallelPaths: 3,
        reuseApi: false,
      }).run(checkout),
    );
    expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
    expect(result.apiReuse).toBe(false);
    expect(result.slots).toBeUndefined();
    expect(allPaths(result.items).every((p) => p.slot === undefined)).toBe(true);
    expect(await shopProcesses()).toEqual([]);
    expect(await venomqaDatabases(server)).toEqual([]);
  });
});
