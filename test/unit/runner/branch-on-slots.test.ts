import { describe, expect, it } from 'vitest';
import { Branch, Checkpoint, Journey, Path } from '../../../src/journey/journey-builders.js';
import { FakeRig, allPaths, pathNamed, pathStatuses } from './fake-rig.js';
import { tick } from './fake-world.js';

describe('paths on API slots (api.reuse, the default)', () => {
  it('never has more APIs than parallel_paths, with more paths than slots', async () => {
    const rig = new FakeRig('slots');
    let running = 0;
    let mostRunning = 0;
    const busyPath = (name: string) =>
      Path({
        name,
        steps: [
          rig.step('busy', async (data) => {
            running += 1;
            mostRunning = Math.max(mostRunning, running);
            for (let i = 0; i < 5; i++) await tick();
            data.set(name, 'done');
            running -= 1;
          }),
          rig.sees('sees_only_its_own_write', { base: 'x', [name]: 'done' }),
        ],
      });
    const journey = Journey({
      name: 'j',
      steps: [
        rig.put('base', 'base'),
        Checkpoint({ name: 'c' }),
        Branch({ checkpointName: 'c', paths: ['p1', 'p2', 'p3', 'p4', 'p5'].map(busyPath) }),
      ],
    });
    const result = await rig.runner({ parallelPaths: 2 }).run(journey);
    expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
    expect(rig.target.maxAlive).toBeLessThanOrEqual(2);
    expect(mostRunning).toBeLessThanOrEqual(2);
    expect(result.slots?.map((slot) => slot.id)).toEqual([1, 2]);
    expect(new Set(allPaths(result.items).map((path) => path.slot?.id))).toEqual(new Set([1, 2]));
    rig.expectNothingLeft();
  });

  it('runs every path on one slot: a path sees none of the writes of the path before it', async () => {
    const rig = new FakeRig('slots');
    const journey = Journey({
      name: 'j',
      steps: [
        rig.put('base', 'base'),
        Checkpoint({ name: 'c' }),
        rig.put('on_the_line', 'line'),
        Branch({
          checkpointName: 'c',
          paths: [
            Path({
              name: 'writer',
              steps: [rig.put('write', 'w'), rig.sees('sees', { base: 'x', w: 'x' })],
            }),
            Path({ name: 'reader', steps: [rig.sees('sees_none', { base: 'x' })] }),
            Path({
              name: 'writer_2',
              steps: [rig.put('write', 'v'), rig.sees('sees', { base: 'x', v: 'x' })],
            }),
            Path({ name: 'reader_2', steps: [rig.sees('sees_none', { base: 'x' })] }),
          ],
        }),
        // Back on the slot with its own state from just before the branch.
        rig.sees('line_goes_on', { base: 'x', line: 'x' }),
      ],
    });
    const result = await rig.runner({ parallelPaths: 1 }).run(journey);
    expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
    expect(allPaths(result.items).map((path) => path.slot?.id)).toEqual([1, 1, 1, 1]);
    // The main line, four paths and the line again: one API, five swaps under its database.
    expect(result.slots).toEqual([expect.objectContaining({ id: 1, apiStarts: 1, swaps: 5 })]);
    expect(rig.target.acquired).toHaveLength(1);
    rig.expectNothingLeft();
  });

  it('runs a nested branch on one slot without waiting for itself; the path goes on with its own state', async () => {
    const rig = new FakeRig('slots');
    const journey = Journey({
      name: 'j',
      steps: [
        rig.put('base', 'base'),
        Checkpoint({ name: 'c' }),
        Branch({
          checkpointName: 'c',
          paths: [
            Path({
              name: 'outer',
              steps: [
                rig.put('write', 'outer'),
                Checkpoint({ name: 'inner' }),
                rig.put('past_the_checkpoint', 'past'),
                Branch({
                  checkpointName: 'inner',
                  paths: [
                    Path({ name: 'a', steps: [rig.put('write', 'a')] }),
                    Path({ name: 'b', steps: [rig.sees('sees', { base: 'x', outer: 'x' })] }),
                  ],
                }),
                rig.sees('goes_on', { base: 'x', outer: 'x', past: 'x' }),
              ],
            }),
            Path({ name: 'sibling', steps: [rig.sees('sees', { base: 'x' })] }),
          ],
        }),
        rig.sees('line_goes_on', { base: 'x' }),
      ],
    });
    const result = await rig.runner({ parallelPaths: 1 }).run(journey);
    expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
    expect(pathStatuses(result)).toEqual([
      'outer: passed',
      'outer/a: passed',
      'outer/b: passed',
      'sibling: passed',
    ]);
    expect(result.slots?.map((slot) => slot.apiStarts)).toEqual([1]);
    rig.expectNothingLeft();
  }, 2_000);

  it('starts the API again when it dies during a path, and runs the path once more from its checkpoint', async () => {
    const rig = new FakeRig('slots');
    let killed = false;
    const journey = Journey({
      name: 'j',
      steps: [
        rig.put('base', 'base'),
        Checkpoint({ name: 'c' }),
        Branch({
          checkpointName: 'c',
          paths: [
            Path({
              name: 'crashes_the_api',
              steps: [
                // The first attempt's write must not be there for the second.
                rig.sees('starts_from_the_checkpoint', { base: 'x' }),
                rig.put('write', 'w'),
                rig.step('api_dies_once', (_data, api) => {
                  if (killed) return;
                  killed = true;
                  rig.world.apiOf(api).kill('was killed by the OOM killer');
                  throw new Error('the connection was reset');
                }),
              ],
            }),
            Path({ name: 'after_it', steps: [rig.sees('sees_the_checkpoint', { base: 'x' })] }),
          ],
        }),
      ],
    });
    const result = await rig.runner({ parallelPaths: 1 }).run(journey);
    expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
    const crashed = pathNamed(result, 'crashes_the_api');
    expect(crashed.retried).toMatch(/the API was killed by the OOM killer during the path/);
    expect(pathNamed(result, 'after_it').retried).toBeUndefined();
    expect(rig.ran.filter((name) => name === 'starts_from_the_checkpoint')).toHaveLength(2);
    expect(result.slots).toEqual([expect.objectContaining({ id: 1, apiStarts: 2 })]);
    rig.expectNothingLeft();
  });

  it('starts the API again before a path when it is no longer running, and runs the path once', async () => {
    const rig = new FakeRig('slots');
    const journey = Journey({
      name: 'j',
      steps: [
        rig.put('base', 'base'),
        Checkpoint({ name: 'c' }),
        // Passes, but the API it talked to is gone before the first path starts.
        rig.step('api_dies_after', (_data, api) =>
          rig.world.apiOf(api).kill('exited with code 137'),
        ),
        Branch({
          checkpointName: 'c',
          paths: [Path({ name: 'p', steps: [rig.sees('sees', { base: 'x' })] })],
        }),
      ],
    });
    const result = await rig.runner({ parallelPaths: 1 }).run(journey);
    expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
    const path = pathNamed(result, 'p');
    expect(path.slot?.restartReason).toBe('the API exited with code 137');
    expect(path.slot?.apiStartMs).toBeDefined();
    expect(path.retried).toBeUndefined();
    expect(rig.ran.filter((name) => name === 'sees')).toHaveLength(1);
    expect(result.slots).toEqual([expect.objectContaining({ id: 1, apiStarts: 2 })]);
    rig.expectNothingLeft();
  });

  it('attaches the log lines of the API a failed step talked to, on whichever slot', async () => {
    const rig = new FakeRig('slots');
    const apiOfStep = new Map<string, number>();
    const breaks = (path: string) =>
      rig.step('breaks', (_data, api) => {
        apiOfStep.set(path, rig.world.apiOf(api).id);
        throw new Error(`${path} breaks`);
      });
    const journey = Journey({
      name: 'j',
      steps: [
        Checkpoint({ name: 'c' }),
        Branch({
          checkpointName: 'c',
          paths: [
            Path({ name: 'a', steps: [breaks('a')] }),
            Path({ name: 'b', steps: [breaks('b')] }),
          ],
        }),
      ],
    });
    const result = await rig.runner({ parallelPaths: 2, captureLogs: true }).run(journey);
    for (const name of ['a', 'b']) {
      const step = pathNamed(result, name).items[0];
      const api = rig.target.acquired.find((candidate) => candidate.id === apiOfStep.get(name));
      expect(step?.kind === 'step' && step.logs).toEqual(await api?.logs(50));
    }
    expect(new Set(apiOfStep.values()).size).toBe(2);
    rig.expectNothingLeft();
  });

  it('branches twice from one checkpoint, the line back on a slot in between', async () => {
    const rig = new FakeRig('slots');
    const journey = Journey({
      name: 'j',
      steps: [
        rig.put('base', 'base'),
        Checkpoint({ name: 'c' }),
        Branch({
          checkpointName: 'c',
          paths: [Path({ name: 'first', steps: [rig.put('write', 'f')] })],
        }),
        rig.put('between', 'between'),
        Branch({
          checkpointName: 'c',
          paths: [Path({ name: 'second', steps: [rig.sees('sees', { base: 'x' })] })],
        }),
        rig.sees('line_goes_on', { base: 'x', between: 'x' }),
      ],
    });
    const result = await rig.runner({ parallelPaths: 1 }).run(journey);
    expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
    rig.expectNothingLeft();
  });
});
