import { describe, expect, it } from 'vitest';
import { Branch, Checkpoint, Journey, Path } from '../../../src/journey/journey-builders.js';
import { FakeRig, pathNamed, pathStatuses } from './fake-rig.js';

describe.each(['slots', 'per-path'] as const)('keep_failed (%s)', (mode) => {
  it('keeps the database of a failed path, with its writes, and drops every other', async () => {
    const rig = new FakeRig(mode);
    const journey = Journey({
      name: 'j',
      steps: [
        rig.put('base', 'base'),
        Checkpoint({ name: 'c' }),
        Branch({
          checkpointName: 'c',
          paths: [
            Path({ name: 'broken', steps: [rig.put('write', 'w'), rig.fails('breaks')] }),
            Path({ name: 'fine', steps: [rig.put('write', 'f')] }),
            Path({ name: 'fine_2', steps: [rig.put('write', 'g')] }),
          ],
        }),
      ],
    });
    const result = await rig.runner({ parallelPaths: 2, keepFailed: true }).run(journey);
    expect(pathStatuses(result)).toEqual(['broken: failed', 'fine: passed', 'fine_2: passed']);
    const kept = pathNamed(result, 'broken').keptDatabase;
    expect(kept).toBeDefined();
    expect(pathNamed(result, 'fine').keptDatabase).toBeUndefined();
    expect([...rig.world.kept]).toEqual([kept]);
    expect(Object.fromEntries(rig.world.require(kept ?? ''))).toEqual({ base: 'x', w: 'x' });
    rig.expectNothingLeft();
  });

  it('drops the database of a failed path without keep_failed', async () => {
    const rig = new FakeRig(mode);
    const journey = Journey({
      name: 'j',
      steps: [
        Checkpoint({ name: 'c' }),
        Branch({
          checkpointName: 'c',
          paths: [Path({ name: 'broken', steps: [rig.fails('breaks')] })],
        }),
      ],
    });
    const result = await rig.runner().run(journey);
    expect(pathNamed(result, 'broken').keptDatabase).toBeUndefined();
    expect(rig.world.kept.size).toBe(0);
    rig.expectNothingLeft();
  });
});
