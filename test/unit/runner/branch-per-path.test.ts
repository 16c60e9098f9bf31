import { describe, expect, it } from 'vitest';
import { Branch, Checkpoint, Journey, Path } from '../../../src/journey/journey-builders.js';
import { FakeRig } from './fake-rig.js';
import { WORKING } from './fake-world.js';

describe('a fresh API per path (api.reuse: false)', () => {
  it('starts one API per path on its own clone, plus one for the main line', async () => {
    const rig = new FakeRig('per-path');
    const writer = (name: string) =>
      Path({
        name,
        steps: [
          rig.put('write', 'shared_key', name),
          rig.sees('sees_its_own', { base: 'x', shared_key: name }),
        ],
      });
    const journey = Journey({
      name: 'j',
      steps: [
        rig.put('base', 'base'),
        Checkpoint({ name: 'c' }),
        Branch({ checkpointName: 'c', paths: [writer('a'), writer('b'), writer('c')] }),
        rig.sees('line_goes_on', { base: 'x' }),
      ],
    });
    const runner = rig.runner({ parallelPaths: 3 });
    expect(runner.mode).toBe('per-path');
    const result = await runner.run(journey);
    expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
    expect(result.apiReuse).toBe(false);
    const [main, ...paths] = rig.target.acquired;
    expect(main?.databaseUrl).toBe(rig.world.url(WORKING));
    expect(paths).toHaveLength(3);
    const databases = paths.map((api) => api.databaseUrl);
    expect(new Set(databases).size).toBe(3);
    expect(databases).not.toContain(rig.world.url(WORKING));
    rig.expectNothingLeft();
  });
});
