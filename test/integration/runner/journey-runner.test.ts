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
import { RunnerConfigError } from '../../../src/runner/runner-errors.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { SnapshotEngine, type Clone } from '../../../src/snapshot/snapshot-engine.js';
import { TemplateStateManager } from '../../../src/state/template-state-manager.js';
import { SharedTarget } from '../../../src/api/shared-target.js';
import { startTestPostgres } from '../state/embedded-server.js';
import checkout from '../../../examples/shop/journeys/checkout.journey.js';
import { shopProcessTarget, shopProcesses, venomqaDatabases } from './shop-fixture.js';

interface Order {
  id: number;
  status: string;
  items: { sku: string }[];
}

/** register → login → order; stores the order id. */
const prefix: JourneyItem[] = [
  Step({
    name: 'register',
    action: (api) =>
      api.post('/users', { json: { email: 'r@example.test', name: 'R', password: 'pw-123456' } }),
    expect: { status: 201 },
  }),
  Step({
    name: 'login',
    action: async (api) => {
      const res = await api.post('/login', {
        json: { email: 'r@example.test', password: 'pw-123456' },
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

const order = async (api: HttpClient, id: unknown) =>
  (await api.get(`/orders/${String(id)}`)).json<Order>();

/** Resolves once `count` callers have arrived: proves paths overlap in time. */
function barrier(count: number, timeoutMs = 60_000): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return async () => {
    arrived += 1;
    if (arrived === count) open();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      opened,
      new Promise<void>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`only ${arrived} of ${count} paths ran at once`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  };
}

function paths(items: readonly ItemResult[]): PathResult[] {
  return items
    .filter((i): i is BranchResult => i.kind === 'branch')
    .flatMap((b) => b.paths.flatMap((p) => [p, ...paths(p.items)]));
}

describe('JourneyRunner with process targets on embedded PostgreSQL', () => {
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

  /** A journey run as `venomqa run` does: a new database, a template state manager. */
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

  it('isolates 4 parallel paths that write conflicting data, each on its own clone and API', async () => {
    const together = barrier(4);
    const writer = (sku: string) =>
      Path({
        name: `add_${sku}`,
        steps: [
          Step({
            name: 'add_item',
            action: (api, ctx) =>
              api.post(`/orders/${String(ctx.require('orderId'))}/items`, {
                json: { sku, quantity: 1, unit_price_cents: 1 },
              }),
            expect: { status: 201 },
          }),
          Step({
            name: 'wait_for_the_others',
            action: async (_api, ctx) => {
              ctx.set('mine', sku);
              await together();
            },
          }),
          Step({
            name: 'sees_only_its_own_write',
            action: async (api, ctx) => {
              const seen = (await order(api, ctx.require('orderId'))).items.map((i) => i.sku);
              expect(seen).toEqual(['BASE', ctx.require('mine')]);
            },
          }),
        ],
      });
    const journey = Journey({
      name: 'isolation',
      steps: [
        ...prefix,
        Branch({ checkpointName: 'order_open', paths: ['A', 'B', 'C', 'D'].map(writer) }),
        // The journey's own line goes on from the checkpoint, untouched by the paths.
        Step({
          name: 'main_line_unchanged',
          action: async (api, ctx) => {
            expect((await order(api, ctx.require('orderId'))).items).toHaveLength(1);
          },
        }),
      ],
    });
    const finished: string[] = [];
    const result = await runOn((stateManager) =>
      new JourneyRunner({
        stateManager,
        target: shopProcessTarget(),
        parallelPaths: 4,
        onEvent: (e) => {
          if (e.type === 'path-finished') finished.push(e.path.qualifiedName);
        },
      }).run(journey),
    );
    expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
    expect(finished.sort()).toEqual(['add_A', 'add_B', 'add_C', 'add_D']);
    const step = result.items.find((i) => i.kind === 'step' && i.name === 'create_order');
    expect(step?.kind === 'step' && step.exchanges[0]?.request.method).toBe('POST');
    // The bearer token is kept out of the recorded request.
    expect(JSON.stringify(result)).not.toMatch(/Bearer [0-9a-f]{8,}/);
    expect(await shopProcesses()).toEqual([]);
    expect(await venomqaDatabases(server)).toEqual([]);
  });

  it('runs the shop checkout journey with nested branches and 3 paths at once', async () => {
    const result = await runOn((stateManager) =>
      new JourneyRunner({ stateManager, target: shopProcessTarget(), parallelPaths: 3 }).run(
        checkout,
      ),
    );
    expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
    expect(paths(result.items).map((p) => `${p.qualifiedName}:${p.status}`)).toEqual([
      'pay_by_card:passed',
      'cancel:passed',
      'add_item_then_pay:passed',
      'add_item_then_pay/pay:passed',
      'add_item_then_pay/declined_then_cancel:passed',
    ]);
    expect(await shopProcesses()).toEqual([]);
    expect(await venomqaDatabases(server)).toEqual([]);
  });

  it('fail_fast stops the other paths, attaches the API log to the failed step, keeps the failed clone', async () => {
    const slow = (name: string) =>
      Path({
        name,
        steps: [
          Step({
            name: 'slow',
            action: async (api) => {
              await new Promise((resolve) => setTimeout(resolve, 1500));
              return api.get('/stats');
            },
          }),
          Step({ name: 'after', action: (api) => api.get('/stats') }),
        ],
      });
    const journey = Journey({
      name: 'fails',
      steps: [
        ...prefix,
        Branch({
          checkpointName: 'order_open',
          paths: [
            Path({
              name: 'broken',
              steps: [Step({ name: 'missing_order', action: (api) => api.get('/orders/999999') })],
            }),
            slow('slow_1'),
            slow('slow_2'),
            slow('slow_3'),
          ],
        }),
      ],
    });
    const result = await runOn((stateManager) =>
      new JourneyRunner({
        stateManager,
        target: shopProcessTarget(),
        parallelPaths: 2,
        failFast: true,
        keepFailed: true,
      }).run(journey),
    );
    expect(result.status).toBe('failed');
    const [broken, ...others] = paths(result.items);
    expect(broken?.status).toBe('failed');
    const failedStep = broken?.items[0];
    expect(failedStep?.kind === 'step' && failedStep.error?.message).toMatch(
      /GET http:\/\/127\.0\.0\.1:\d+\/orders\/999999 answered 404/,
    );
    expect(failedStep?.kind === 'step' && failedStep.logs?.join('\n')).toMatch(/GET \/orders/);
    expect(others.map((p) => p.status)).toContain('skipped');
    expect(others.every((p) => p.status !== 'failed')).toBe(true);
    expect(broken?.keptDatabase).toMatch(/^vqa_c_/);
    expect(await venomqaDatabases(server)).toEqual([broken?.keptDatabase]);
    await engine.drop(broken?.keptDatabase ?? '').catch(() => undefined);
    const { queryOnce } = await import('../../../src/server/wait-for-postgres.js');
    await queryOnce(server.adminUrl, `drop database "${broken?.keptDatabase ?? ''}" with (force)`);
    expect(await shopProcesses()).toEqual([]);
  });

  it('with one shared API, runs paths one after another and restores its database in place', async () => {
    await runOn(async (stateManager, working) => {
      const api = await shopProcessTarget().acquire(working.url, { label: 'shared' });
      try {
        const target = new SharedTarget({ baseUrl: api.baseUrl });
        expect(() => new JourneyRunner({ stateManager, target, parallelPaths: 2 })).toThrow(
          RunnerConfigError,
        );
        const add = (sku: string) =>
          Path({
            name: sku,
            steps: [
              Step({
                name: 'add',
                action: (client, ctx) =>
                  client.post(`/orders/${String(ctx.require('orderId'))}/items`, {
                    json: { sku, quantity: 1, unit_price_cents: 1 },
                  }),
              }),
              Step({
                name: 'sees_only_its_own_write',
                action: async (client, ctx) => {
                  const skus = (await order(client, ctx.require('orderId'))).items.map(
                    (i) => i.sku,
                  );
                  expect(skus).toEqual(['BASE', sku]);
                },
              }),
            ],
          });
        const result = await new JourneyRunner({ stateManager, target }).run(
          Journey({
            name: 'shared',
            steps: [
              ...prefix,
              // Past the checkpoint before the branch: paths start from the checkpoint, and
              // the line afterwards goes on from here, as it does with clones.
              Step({
                name: 'add_on_the_line',
                action: (client, ctx) =>
                  client.post(`/orders/${String(ctx.require('orderId'))}/items`, {
                    json: { sku: 'LINE', quantity: 1, unit_price_cents: 1 },
                  }),
              }),
              Branch({ checkpointName: 'order_open', paths: [add('X'), add('Y')] }),
              Step({
                name: 'line_goes_on_from_before_the_branch',
                action: async (client, ctx) => {
                  const skus = (await order(client, ctx.require('orderId'))).items.map(
                    (i) => i.sku,
                  );
                  expect(skus).toEqual(['BASE', 'LINE']);
                },
              }),
            ],
          }),
        );
        expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
        expect(result.apiMode).toBe('shared');
      } finally {
        await api.release();
      }
    });
  });

  it('refuses per-path targets without a cloning state manager', () => {
    expect(() => new JourneyRunner({ target: shopProcessTarget() })).toThrow(
      /needs the template-clone backend/,
    );
  });
});
