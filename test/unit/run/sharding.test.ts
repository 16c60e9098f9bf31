import { describe, expect, it } from 'vitest';
import { Branch, Checkpoint, Journey, Path } from '../../../src/journey/journey-builders.js';
import type { JourneyNode } from '../../../src/journey/journey-nodes.js';
import { mergeReports } from '../../../src/report/merge-reports.js';
import type { ItemResult, JourneyResult, RunResult } from '../../../src/result/run-result.js';
import { ShardPlan, assignUnits, parseShard, unitKey } from '../../../src/run/shard-plan.js';
import { shardDurations } from '../../../src/run/shard-durations.js';
import { FakeRig } from '../runner/fake-rig.js';

/** Two journeys with branches (one path failing, one nested branch) and one without. */
function journeys(rig: FakeRig): JourneyNode[] {
  const paths = (prefix: string, count: number) =>
    Array.from({ length: count }, (_, i) =>
      Path({ name: `${prefix}${i}`, steps: [rig.put('write', `${prefix}${i}`)] }),
    );
  return [
    Journey({
      name: 'orders',
      steps: [
        rig.put('create', 'order'),
        Checkpoint({ name: 'created' }),
        Branch({
          checkpointName: 'created',
          paths: [
            ...paths('pay', 4),
            Path({ name: 'broken', steps: [rig.fails('breaks')] }),
            Path({
              name: 'nested',
              steps: [
                rig.put('n', 'n'),
                Checkpoint({ name: 'inner' }),
                Branch({ checkpointName: 'inner', paths: paths('deep', 2) }),
              ],
            }),
          ],
        }),
        rig.sees('after', { order: 'x' }),
      ],
    }),
    Journey({ name: 'plain', steps: [rig.put('only', 'only')] }),
    Journey({
      name: 'users',
      steps: [
        Checkpoint({ name: 'start' }),
        Branch({ checkpointName: 'start', paths: paths('u', 5) }),
        Checkpoint({ name: 'later' }),
        Branch({ checkpointName: 'later', paths: paths('v', 2) }),
      ],
    }),
  ];
}

/** Every path of a journey result, `journey › qualified name: status`, nested ones included. */
function pathStatuses(result: RunResult): string[] {
  const out: string[] = [];
  const visit = (journey: string, items: readonly ItemResult[]): void => {
    for (const item of items) {
      if (item.kind !== 'branch') continue;
      for (const path of item.paths) {
        out.push(`${journey} › ${path.qualifiedName}: ${path.status}`);
        visit(journey, path.items);
      }
    }
  };
  for (const journey of result.journeys) {
    out.push(`${journey.name}: ${journey.status}`);
    visit(journey.name, journey.items);
  }
  return out;
}

async function run(
  nodes: readonly JourneyNode[],
  rig: FakeRig,
  plan?: ShardPlan,
): Promise<RunResult> {
  const results: JourneyResult[] = [];
  const info = { apiMode: 'process', parallelPaths: 2 };
  for (const journey of nodes) {
    const part = plan?.part(journey);
    if (part && !part.journey) {
      results.push(part.finish(undefined, info));
      continue;
    }
    const ran = await rig
      .runner({ parallelPaths: rig.mode === 'in-place' ? 1 : 2 })
      .run(part?.journey ?? journey);
    results.push(part ? part.finish(ran, info) : ran);
  }
  // Shard counts do not matter here: a merge counts the merged journeys again.
  const passed = results.filter((r) => r.status === 'passed').length;
  return {
    startedAt: new Date().toISOString(),
    durationMs: 1,
    journeys: results,
    passed,
    failed: results.length - passed,
    ...(plan ? { shard: plan.spec } : {}),
  };
}

describe('sharding', () => {
  it('reads i/n and refuses anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, total: 4 });
    for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0']) {
      expect(() => parseShard(bad)).toThrow(
        expect.objectContaining({ code: 'VENOMQA_SHARD_INVALID' }),
      );
    }
  });

  it('gives every unit to exactly one shard, equal counts without durations, the same plan every time', () => {
    const nodes = journeys(new FakeRig('slots'));
    const plans = [1, 2, 3, 4].map((index) => new ShardPlan({ index, total: 4 }, nodes));
    const owned = plans.map((plan) => plan.count().owned);
    // 6 + 1 + 7 units: 14 over 4 shards.
    expect(owned.reduce((a, b) => a + b)).toBe(14);
    expect(Math.max(...owned) - Math.min(...owned)).toBeLessThanOrEqual(1);
    const again = [1, 2, 3, 4].map((index) => new ShardPlan({ index, total: 4 }, nodes).count());
    expect(again.map((c) => c.owned)).toEqual(owned);
  });

  it('balances by the durations of an earlier run: the slow unit gets a shard to itself', () => {
    const keys = ['j/a', 'j/b', 'j/c', 'j/d', 'j/e'];
    const durations = new Map([
      ['j/a', 1000],
      ['j/b', 100],
      ['j/c', 100],
      ['j/d', 100],
    ]);
    const owner = assignUnits(keys, 2, durations);
    const alone = owner.get('j/a');
    expect(keys.filter((k) => owner.get(k) === alone)).toEqual(['j/a']);
  });

  it.each(['slots', 'per-path', 'in-place'] as const)(
    'four shards merged give the statuses of one whole run (%s)',
    async (mode) => {
      const wholeRig = new FakeRig(mode);
      const whole = await run(journeys(wholeRig), wholeRig);
      const shards: RunResult[] = [];
      for (const index of [1, 2, 3, 4]) {
        const rig = new FakeRig(mode);
        const nodes = journeys(rig);
        shards.push(await run(nodes, rig, new ShardPlan({ index, total: 4 }, nodes)));
      }
      // In each shard, a path that ran elsewhere is skipped and says so.
      const elsewhere = shards[0]?.journeys
        .flatMap((j) => j.items)
        .flatMap((item) => (item.kind === 'branch' ? item.paths : []))
        .filter((path) => path.inAnotherShard);
      expect(elsewhere?.length).toBeGreaterThan(0);
      expect(
        elsewhere?.every(
          (p) => p.status === 'skipped' && p.skipReason?.startsWith('in another shard'),
        ),
      ).toBe(true);

      const { result, missingShards } = mergeReports(shards);
      expect(missingShards).toEqual([]);
      expect(pathStatuses(result)).toEqual(pathStatuses(whole));
      expect([result.passed, result.failed]).toEqual([whole.passed, whole.failed]);
      expect(pathStatuses(whole)).toContain('orders › broken: failed');
      expect(pathStatuses(whole)).toContain('orders › nested/deep1: passed');
    },
  );

  it('a missing shard leaves its paths skipped and the run not passed', async () => {
    const shards: RunResult[] = [];
    for (const index of [1, 2]) {
      const rig = new FakeRig('slots');
      const nodes = journeys(rig);
      shards.push(await run(nodes, rig, new ShardPlan({ index, total: 3 }, nodes)));
    }
    const { result, missingShards } = mergeReports(shards);
    expect(missingShards).toEqual([3]);
    expect(result.passed).toBeLessThan(3);
  });

  it('refuses reports of different shard counts, or one shard twice', async () => {
    const rig = new FakeRig('slots');
    const nodes = journeys(rig);
    const a = await run(nodes, rig, new ShardPlan({ index: 1, total: 2 }, nodes));
    const b = await run(nodes, rig, new ShardPlan({ index: 1, total: 3 }, nodes));
    expect(() => mergeReports([a, b])).toThrow(/different numbers of shards/);
    expect(() => mergeReports([a, a])).toThrow(/Two of the reports are of shard 1\/2/);
  });

  it('reads unit durations back from a report', async () => {
    const rig = new FakeRig('slots');
    const whole = await run(journeys(rig), rig);
    const durations = shardDurations(whole);
    expect([...durations.keys()].sort()).toContain(unitKey('orders', 'nested'));
    expect(durations.has(unitKey('plain'))).toBe(true);
    expect(durations.has('orders/nested/deep0')).toBe(false);
  });
});
