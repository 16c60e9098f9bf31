import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/index.js';
import { HttpClient } from '../../../src/http/http-client.js';
import type { ItemResult, PathResult } from '../../../src/result/run-result.js';
import type { StateDiff } from '../../../src/result/state-diff.js';
import { runJourneys } from '../../../src/run/index.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { SnapshotEngine } from '../../../src/snapshot/snapshot-engine.js';
import { failingCheckout } from '../diff/failing-checkout.js';
import { REPO, SHOP_SERVER, shopProcessTarget } from '../runner/shop-fixture.js';
import { freshDatabase, startTestPostgres } from '../state/embedded-server.js';
import { runCli } from '../support/run-cli.js';

/** The diff without what differs between two databases made the same way: times, durations. */
function comparable(diff: StateDiff | undefined): unknown {
  if (!diff) return undefined;
  const time = (column: string, value: unknown) => (column.endsWith('_at') ? '<time>' : value);
  return diff.tables.map((table) => ({
    ...table,
    rows: table.rows.map((row) =>
      row.change === 'updated'
        ? {
            ...row,
            columns: Object.fromEntries(
              Object.entries(row.columns).map(([c, v]) => [
                c,
                { before: time(c, v.before), after: time(c, v.after) },
              ]),
            ),
          }
        : {
            ...row,
            values: Object.fromEntries(Object.entries(row.values).map(([c, v]) => [c, time(c, v)])),
          },
    ),
  }));
}

function pathNamed(items: readonly ItemResult[], name: string): PathResult | undefined {
  for (const item of items) {
    if (item.kind !== 'branch') continue;
    for (const path of item.paths) {
      if (path.qualifiedName === name) return path;
      const nested = pathNamed(path.items, name);
      if (nested) return nested;
    }
  }
  return undefined;
}

describe('venomqa diff', () => {
  let server: PostgresServer;
  let project: string;

  beforeAll(async () => {
    server = await startTestPostgres();
    project = await mkdtemp(join(tmpdir(), 'venomqa-diff-cli-'));
    await writeFile(join(project, 'venomqa.yaml'), 'report:\n  diff_rows: 20\n');
  });

  afterAll(async () => {
    await server?.stop();
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('gives for two snapshots the same diff a run gives the failing path that made the same writes', async () => {
    // The run: the failing path's diff against its checkpoint, its clone kept.
    const config = resolveConfig({
      cwd: REPO,
      env: {},
      overrides: {
        parallel_paths: 2,
        report_formats: [],
        keep_failed: true,
        api: {
          mode: 'process',
          command: [process.execPath, SHOP_SERVER],
          env: { DATABASE_URL: '{database_url}', PORT: '{port}' },
          health: '/health',
        },
      },
    });
    const result = await runJourneys({
      config,
      journeys: [{ journey: failingCheckout({}) }],
      cwd: REPO,
      server: { adminUrl: server.adminUrl },
    });
    const failed = pathNamed(result.journeys[0]?.items ?? [], 'pay_then_cancel');
    expect(failed?.stateDiff?.tables.map((t) => t.table)).toEqual(['orders', 'payments']);

    // The same writes by hand on a database of our own, a snapshot before and after paying.
    const database = await freshDatabase(server);
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      VENOMQA_RUN_ID: process.env.VENOMQA_RUN_ID,
      VENOMQA_DB_URL: database.url,
    };
    const api = await shopProcessTarget().acquire(database.url, {
      label: 'diff by hand',
      signal: new AbortController().signal,
    });
    const created: string[] = [];
    try {
      const client = new HttpClient({ baseUrl: api.baseUrl });
      await client.post('/users', {
        json: { email: 'diff@example.test', name: 'Dee', password: 'correct horse' },
      });
      const login = await client.post('/login', {
        json: { email: 'diff@example.test', password: 'correct horse' },
      });
      client.setBearerToken(login.json<{ token: string }>().token);
      const order = await client.post('/orders', {
        json: { items: [{ sku: 'BOOK-1', quantity: 1, unit_price_cents: 1500 }] },
      });
      const orderId = order.json<{ id: number }>().id;
      for (const [name, write] of [
        ['order_created', undefined],
        [
          'paid',
          () =>
            client.post(`/orders/${orderId}/pay`, {
              json: { method: 'card', card_number: '4242424242424242' },
            }),
        ],
      ] as const) {
        if (write) expect((await write()).status).toBe(201);
        const snapshot = await runCli(['snapshot', 'create', name], project, env);
        expect(snapshot.stderr).toBe('');
        created.push(name);
      }

      const cli = await runCli(['diff', 'order_created', 'paid', '--json'], project, env);
      expect(cli.stderr).toBe('');
      expect(cli.exitCode).toBe(0);
      const diff = JSON.parse(cli.stdout) as StateDiff;
      expect(diff).toMatchObject({ from: 'order_created', to: 'paid', rowLimit: 20 });
      expect(comparable(diff)).toEqual(comparable(failed?.stateDiff));

      const text = await runCli(['diff', 'order_created', 'paid'], project, env);
      expect(text.stdout).toContain('Changes from order_created to paid: 2 tables changed');
      expect(text.stdout).toMatch(/^orders: 1 updated$/m);
      expect(text.stdout).toMatch(/^ {2}~ id=1: status "open" → "paid"/m);
      expect(text.stdout).toMatch(/^payments: 1 inserted$/m);
      expect(text.stdout).not.toContain('4242424242424242');

      // A snapshot against the working database: paid is what the database holds now.
      const working = await runCli(['diff', 'paid', '--json'], project, env);
      expect((JSON.parse(working.stdout) as StateDiff).tables).toEqual([]);

      // The kept clone of the failed path, found by its name.
      const engine = await SnapshotEngine.open({ adminUrl: server.adminUrl });
      try {
        const kept = await runCli(
          ['diff', 'paid', '--path', 'checkout/pay_then_cancel', '--json'],
          project,
          env,
        );
        expect(kept.exitCode).toBe(0);
        const keptDiff = JSON.parse(kept.stdout) as StateDiff;
        expect(keptDiff.to).toBe('checkout/pay_then_cancel');
        // Made by another run, so times and the session token differ; orders and payments not.
        expect(keptDiff.tables.find((t) => t.table === 'payments')?.inserted ?? 0).toBe(0);

        const unknown = await runCli(['diff', 'paid', '--path', 'checkout/nope'], project, env);
        expect(unknown.exitCode).toBe(2);
        expect(unknown.stderr).toContain("Kept clone of failed path 'checkout/nope' not found");
        expect(unknown.stderr).toContain('checkout/pay_then_cancel');

        const both = await runCli(['diff', 'paid', 'order_created', '--db', 'x'], project, env);
        expect(both.exitCode).toBe(2);
        for (const clone of await engine.keptClones()) await engine.dropRunOwned(clone.physical);
      } finally {
        await engine.close();
      }
    } finally {
      for (const name of created)
        await runCli(['snapshot', 'delete', name, '--force'], project, env);
      await api.release();
      await database.drop();
    }
  });
});
