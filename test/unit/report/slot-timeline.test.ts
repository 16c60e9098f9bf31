import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../../src/report/html/slot-timeline.js';
import type { PathSlotInfo } from '../../../src/result/run-result.js';
import { branch, journey, path, run, step } from './fixtures.js';

// A journey on two API slots: the main line holds slot 1 until its branch, where pay takes
// slot 1 and cancel slot 2 at once, and refund waits 300 ms for slot 2. Times in ms from T0.

const T0 = Date.parse('2025-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function slot(id: number, overrides: Partial<PathSlotInfo> = {}): PathSlotInfo {
  return { id, waitMs: 0, cloneMs: 10, swapMs: 20, unavailableMs: 5, healthMs: 30, ...overrides };
}

function onSlots() {
  const pay = path('cart/pay', [step('pay', { startedAt: at(1_060), durationMs: 100 })], {
    startedAt: at(1_000),
    durationMs: 200,
    slot: slot(1),
  });
  const cancel = path(
    'cart/cancel',
    [step('cancel', { startedAt: at(1_060), durationMs: 50, status: 'failed' })],
    { startedAt: at(1_000), durationMs: 150, slot: slot(2) },
  );
  const refund = path('cart/refund', [step('refund', { startedAt: at(1_510), durationMs: 40 })], {
    startedAt: at(1_000),
    durationMs: 600,
    slot: slot(2, { waitMs: 300, cloneMs: 0, apiStartMs: 150 }),
  });
  return run([
    journey(
      'checkout',
      [
        step('log in', { startedAt: at(100), durationMs: 800 }),
        branch('cart', [pay, cancel, refund], { startedAt: at(1_000), durationMs: 600 }),
      ],
      { startedAt: at(0), durationMs: 1_600, slot: slot(1, { apiStartMs: 40 }) },
    ),
  ]);
}

describe('buildTimeline', () => {
  it('puts each line on the slot it held, from its swap until it gave the slot up', () => {
    const timeline = buildTimeline(onSlots());
    expect(timeline.onSlots).toBe(true);
    expect(timeline.lanes).toEqual(['slot 1', 'slot 2']);
    const bars = Object.fromEntries(timeline.bars.map((b) => [b.label, b]));
    // The main line: its slot's setup before its first step, up to the branch.
    expect(bars.checkout).toMatchObject({ lane: 'slot 1', start: 0, end: 1_000 });
    expect(bars.checkout?.phases.map((p) => [p.kind, p.start, p.end])).toEqual([
      ['clone', 0, 10],
      ['swap', 10, 30],
      ['health', 30, 60],
      ['api-start', 60, 100],
    ]);
    expect(bars['checkout › cart/pay']).toMatchObject({ lane: 'slot 1', start: 1_000, end: 1_200 });
    expect(bars['checkout › cart/cancel']).toMatchObject({ lane: 'slot 2', status: 'failed' });
    // Waiting for a slot comes before the bar, not in it.
    const refund = bars['checkout › cart/refund'];
    expect(refund).toMatchObject({ lane: 'slot 2', start: 1_300, end: 1_600 });
    expect(refund?.wait).toEqual({ start: 1_000, end: 1_300 });
    expect(refund?.phases.map((p) => p.kind)).toEqual(['swap', 'health', 'api-start']);
    expect(refund?.steps).toEqual([{ name: 'refund', status: 'passed', start: 1_510, end: 1_550 }]);
    expect(timeline.totalMs).toBe(1_600);
  });

  it('gives each line a lane of its own with an API per path', () => {
    const result = onSlots();
    const strip = (items: (typeof result.journeys)[0]['items']): void => {
      for (const item of items) {
        if (item.kind !== 'branch') continue;
        for (const p of item.paths) {
          delete p.slot;
          strip(p.items);
        }
      }
    };
    for (const j of result.journeys) {
      delete j.slot;
      strip(j.items);
    }
    const timeline = buildTimeline(result);
    expect(timeline.onSlots).toBe(false);
    expect(timeline.lanes).toEqual([
      'checkout › cart/pay',
      'checkout › cart/cancel',
      'checkout › cart/refund',
      'checkout',
    ]);
    const main = timeline.bars.find((b) => b.label === 'checkout');
    // Without slots the main line keeps its lane through its branch.
    expect(main).toMatchObject({ start: 100, end: 1_600 });
  });
});
