import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/index.js';
import { writeReports } from '../../../src/report/index.js';
import type { ItemResult, PathResult, RunResult } from '../../../src/result/run-result.js';
import type { TableDiff } from '../../../src/result/state-diff.js';
import { runJourneys } from '../../../src/run/index.js';
import type { PostgresServer } from '../../../src/server/postgres-server.js';
import { SnapshotEngine } from '../../../src/snapshot/snapshot-engine.js';
import { REPO, SHOP_SERVER, venomqaDatabases } from '../runner/shop-fixture.js';
import { startTestPostgres } from '../state/embedded-server.js';
import { failingCheckout, type Written } from './failing-checkout.js';

function allPaths(items: readonly ItemResult[]): PathResult[] {
  return items.flatMap((item) =>
    item.kind === 'branch' ? item.paths.flatMap((p) => [p, ...allPaths(p.items)]) : [],
  );
}

function pathNamed(result: RunResult, name: string): PathResult {
  const found = allPaths(result.journeys[0]?.items ?? []).find((p) => p.qualifiedName === name);
  if (!found) throw new Error(`no path ${name}`);
  return found;
}

function table(p: PathResult, name: string): TableDiff {
  const found = p.stateDiff?.tables.find((t) => t.table === name);
  if (!found) throw new Error(`no diff of ${name} in ${JSON.stringify(p.stateDiff)}`);
  return found;
}

describe('state diffs of the shop paths, run as venomqa run does', () => {
  let server: PostgresServer;
  let reportDir: string;

  beforeAll(async () => {
    server = await startTestPostgres();
    reportDir = await mkdtemp(path.join(tmpdir(), 'venomqa-diff-reports-'));
  });

  afterAll(async () => {
    await server?.stop();
    if (reportDir) await rm(reportDir, { recursive: true, force: true });
  });

  async function run(written: Written, overrides: Record<string, unknown>): Promise<RunResult> {
    const config = resolveConfig({
      cwd: REPO,
      env: {},
      overrides: {
        parallel_paths: 2,
        report_formats: [],
        ...overrides,
        api: {
          mode: 'process',
          command: [process.execPath, SHOP_SERVER],
          env: { DATABASE_URL: '{database_url}', PORT: '{port}' },
          health: '/health',
          ...(overrides.api as object | undefined),
        },
      },
    });
    return runJourneys({
      config,
      journeys: [{ journey: failingCheckout(written) }],
      cwd: REPO,
      server: { adminUrl: server.adminUrl },
    });
  }

  it('shows exactly the rows a failing path wrote, on API slots (report.diff: failed)', async () => {
    const written: Written = {};
    const result = await run(written, { report: { diff: 'failed' } });
    const failed = pathNamed(result, 'pay_then_cancel');
    expect(failed.status).toBe('failed');
    expect(failed.slot).toBeDefined();
    const diff = failed.stateDiff;
    expect(diff).toMatchObject({ from: 'order_created', to: 'checkout/pay_then_cancel' });
    expect(diff?.error).toBeUndefined();
    expect(diff?.tables.map((t) => t.table)).toEqual(['orders', 'payments']);

    const payments = table(failed, 'payments');
    expect(payments).toMatchObject({ inserted: 1, updated: 0, deleted: 0, key: ['id'] });
    const [payment] = payments.rows;
    expect(payment?.change).toBe('inserted');
    // The API writes created_at in its own format; every other column is as the row holds it.
    const paid = Object.fromEntries(
      Object.entries(written.payment ?? {}).filter(([column]) => column !== 'created_at'),
    );
    expect(payment?.change === 'inserted' && payment.values).toMatchObject(paid);
    expect(paid).toMatchObject({ amount_cents: 1500, card_last4: '4242' });

    const orders = table(failed, 'orders');
    expect(orders).toMatchObject({ inserted: 0, updated: 1, deleted: 0 });
    const [order] = orders.rows;
    expect(order?.change === 'updated' && order.key).toEqual({ id: written.orderId });
    expect(order?.change === 'updated' && Object.keys(order.columns).sort()).toEqual([
      'status',
      'updated_at',
    ]);
    expect(order?.change === 'updated' && order.columns.status).toEqual({
      before: 'open',
      after: 'paid',
    });

    // Passing paths, and a path that failed only through its nested path, get none.
    expect(pathNamed(result, 'cancel').stateDiff).toBeUndefined();
    expect(pathNamed(result, 'add_item').stateDiff).toBeUndefined();
    expect(pathNamed(result, 'add_item/pay').stateDiff).toBeUndefined();
    // A declined payment writes nothing: an empty diff against the nested checkpoint.
    const declined = pathNamed(result, 'add_item/declined');
    expect(declined.stateDiff).toMatchObject({ from: 'item_added', tables: [] });

    const files = await writeReports(
      { ...result },
      { dir: reportDir, formats: ['markdown', 'junit', 'json', 'html'] },
    );
    expect(files).toHaveLength(4);
    for (const file of files) {
      // The HTML report escapes quotes; what it shows is the same text.
      const text = (await readFile(file, 'utf8')).replaceAll('&quot;', '"');
      expect(text, file).toContain('payments');
      expect(text, file).toContain(String(paid.id));
      expect(text, file).toMatch(/"open".{0,60}"paid"/s);
      expect(text, file).toMatch(/amount\\?_cents.{0,30}1500/);
      // Secrets stay out: users' password hashes never changed here, card numbers never shown.
      expect(text, file).not.toContain('4242424242424242');
    }
  });

  it('diffs every path with report.diff: all, a path ending in a nested branch included', async () => {
    const written: Written = {};
    const result = await run(written, { report: { diff: 'all' } });
    const cancelled = table(pathNamed(result, 'cancel'), 'orders').rows;
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]).toMatchObject({
      change: 'updated',
      columns: { status: { before: 'open', after: 'cancelled' } },
    });
    // add_item gave its slot up to its final branch: its diff was taken before that.
    const addItem = pathNamed(result, 'add_item');
    expect(addItem.stateDiff?.tables.map((t) => t.table)).toEqual(['order_items', 'orders']);
    const [item] = table(addItem, 'order_items').rows;
    expect(item?.change === 'inserted' && item.values).toMatchObject(written.item ?? {});
    const [total] = table(addItem, 'orders').rows;
    expect(total?.change === 'updated' && total.columns.total_cents).toEqual({
      before: 1500,
      after: 2000,
    });
    // The nested pay starts from item_added: only the payment and the order's status.
    const nestedPay = pathNamed(result, 'add_item/pay');
    expect(nestedPay.stateDiff?.from).toBe('item_added');
    const payments = table(nestedPay, 'payments').rows;
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ change: 'inserted', values: { amount_cents: 2000 } });
  });

  it('diffs paths with an API per path too, and records the kept clone under its path', async () => {
    const written: Written = {};
    const result = await run(written, {
      api: { reuse: false },
      keep_failed: true,
      report: { diff: 'failed' },
    });
    const failed = pathNamed(result, 'pay_then_cancel');
    expect(failed.slot).toBeUndefined();
    expect(failed.stateDiff?.tables.map((t) => [t.table, t.inserted, t.updated])).toEqual([
      ['orders', 0, 1],
      ['payments', 1, 0],
    ]);
    const engine = await SnapshotEngine.open({ adminUrl: server.adminUrl });
    try {
      const kept = await engine.keptClones();
      expect(kept.map((k) => [k.path, k.physical])).toEqual(
        expect.arrayContaining([
          ['checkout/pay_then_cancel', failed.keptDatabase],
          ['checkout/add_item/declined', pathNamed(result, 'add_item/declined').keptDatabase],
        ]),
      );
      for (const database of kept.map((k) => k.physical)) await engine.dropRunOwned(database);
    } finally {
      await engine.close();
    }
    expect(await venomqaDatabases(server)).toEqual([]);
  });
});
