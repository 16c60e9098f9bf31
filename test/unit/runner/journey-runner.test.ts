import { describe, expect, it } from 'vitest';
import { Branch, Checkpoint, Journey, Path } from '../../../src/journey/journey-builders.js';
import type { JourneyNode } from '../../../src/journey/journey-nodes.js';
import { FakeRig, allPaths, itemStatuses, pathStatuses, type RigMode } from './fake-rig.js';

const MODES: RigMode[] = ['slots', 'per-path', 'in-place'];

/** A journey with a nested branch and a step after each branch; `interrupt` runs in path b. */
function nestedJourney(rig: FakeRig, interrupt?: () => void): JourneyNode {
  return Journey({
    name: 'j',
    steps: [
      rig.put('base', 'base'),
      Checkpoint({ name: 'c' }),
      Branch({
        checkpointName: 'c',
        paths: [
          Path({
            name: 'a',
            steps: [
              rig.put('write', 'a'),
              Checkpoint({ name: 'inner' }),
              Branch({
                checkpointName: 'inner',
                paths: [
                  Path({ name: 'x', steps: [rig.put('write', 'x')] }),
                  Path({ name: 'y', steps: [rig.fails('breaks')] }),
                ],
              }),
              rig.sees('goes_on', { base: 'x', a: 'x' }),
            ],
          }),
          Path({
            name: 'b',
            steps: [rig.step('maybe_interrupts', () => interrupt?.()), rig.put('write', 'b')],
          }),
          Path({ name: 'c', steps: [rig.put('write', 'c')] }),
        ],
      }),
      rig.sees('line_goes_on', { base: 'x' }),
    ],
  });
}

describe.each(MODES)('what a run leaves behind (%s)', (mode) => {
  const parallelPaths = mode === 'in-place' ? 1 : 2;

  it('releases every API it started and drops every clone it made', async () => {
    const rig = new FakeRig(mode);
    const result = await rig.runner({ parallelPaths }).run(nestedJourney(rig));
    expect(pathStatuses(result)).toEqual([
      'a: failed',
      'a/x: passed',
      'a/y: failed',
      'b: passed',
      'c: passed',
    ]);
    // A failed nested path does not stop its parent path's line either.
    expect(itemStatuses(allPaths(result.items)[0]?.items ?? [])).toEqual([
      'write: passed',
      'inner: passed',
      'branch from inner: failed',
      'goes_on: passed',
    ]);
    expect(result.items.at(-1)?.status).toBe('passed');
    expect(rig.target.acquired.length).toBeGreaterThan(0);
    rig.expectNothingLeft();
    expect(rig.state.isConnected()).toBe(false);
  });

  it('releases everything when the run is interrupted through its signal mid-branch', async () => {
    const rig = new FakeRig(mode);
    const controller = new AbortController();
    const journey = nestedJourney(rig, () => controller.abort(new Error('interrupted')));
    const result = await rig.runner({ parallelPaths, signal: controller.signal }).run(journey);
    expect(rig.ran).toContain('maybe_interrupts');
    expect(rig.ran).not.toContain('line_goes_on');
    expect(result.items.at(-1)?.status).toBe('skipped');
    // Nothing that did not run may count as a failure; a path that had failed before stays so.
    const failed = allPaths(result.items).filter((path) => path.status === 'failed');
    expect(failed.every((path) => path.qualifiedName.startsWith('a'))).toBe(true);
    rig.expectNothingLeft();
    expect(rig.state.isConnected()).toBe(false);
  });

  it('does not wait for a step whose action ignores the interrupt: it is skipped and everything released', async () => {
    const rig = new FakeRig(mode);
    const controller = new AbortController();
    let finish!: () => void;
    const never = new Promise<void>((resolve) => (finish = resolve));
    const journey = Journey({
      name: 'j',
      steps: [
        rig.put('base', 'base'),
        Checkpoint({ name: 'c' }),
        Branch({
          checkpointName: 'c',
          paths: [
            Path({
              name: 'stuck',
              steps: [
                rig.step('waits_on_its_own', async () => {
                  setTimeout(() => controller.abort(new Error('interrupted')), 10);
                  await never; // a timer, a queue, a poll loop: anything but the run's signal
                }),
              ],
            }),
          ],
        }),
      ],
    });
    const result = await rig.runner({ parallelPaths, signal: controller.signal }).run(journey);
    finish();
    expect(itemStatuses(allPaths(result.items)[0]?.items ?? [])).toEqual([
      'waits_on_its_own: skipped',
    ]);
    rig.expectNothingLeft();
  });

  it('runs nothing and leaves nothing when the signal is aborted before the run', async () => {
    const rig = new FakeRig(mode);
    const controller = new AbortController();
    controller.abort(new Error('interrupted'));
    const result = await rig
      .runner({ parallelPaths, signal: controller.signal })
      .run(nestedJourney(rig));
    expect(rig.ran).toEqual([]);
    expect(result.status).not.toBe('passed');
    rig.expectNothingLeft();
  });
});

describe('the state manager around a run', () => {
  it('connects a state manager that is not connected, and disconnects it after', async () => {
    const rig = new FakeRig('slots');
    const journey = Journey({
      name: 'j',
      steps: [
        Checkpoint({ name: 'c' }),
        Branch({ checkpointName: 'c', paths: [Path({ name: 'p', steps: [rig.put('w', 'w')] })] }),
      ],
    });
    const result = await rig.runner().run(journey);
    expect(result.status).toBe('passed');
    expect(rig.state.calls[0]).toBe('connect');
    expect(rig.state.calls.at(-1)).toBe('disconnect');
    expect(rig.state.isConnected()).toBe(false);
  });

  it('leaves a connected state manager connected, with its own checkpoints only', async () => {
    const rig = new FakeRig('slots');
    await rig.state.connect();
    await rig.state.checkpoint('mine');
    const journey = Journey({
      name: 'j',
      steps: [
        Checkpoint({ name: 'c' }),
        Branch({ checkpointName: 'c', paths: [Path({ name: 'p', steps: [rig.put('w', 'w')] })] }),
      ],
    });
    const result = await rig.runner().run(journey);
    expect(result.status).toBe('passed');
    expect(rig.state.isConnected()).toBe(true);
    expect(rig.state.calls).not.toContain('disconnect');
    // The journey's checkpoints were taken on its clones, the runner's own released.
    expect(rig.state.checkpoints).toEqual(['mine']);
    await rig.state.disconnect();
    rig.expectNothingLeft();
  });
});
