import { describe, expect, it } from 'vitest';
import { Branch, Checkpoint, Journey, Path } from '../../../src/journey/journey-builders.js';
import { FakeRig, pathNamed, pathStatuses } from './fake-rig.js';

describe.each(['slots', 'per-path'] as const)('an API that does not start (%s)', (mode) => {
  it('fails that path only, its steps skipped; the next path gets an API again', async () => {
    const rig = new FakeRig(mode);
    const journey = Journey({
      name: 'j',
      steps: [
        rig.put('base', 'base'),
        Checkpoint({ name: 'c' }),
        rig.step('next_start_fails', (_data, api) => {
          rig.target.failStarts = 1;
          // On a slot the running API is reused: it must die for a start to happen at all.
          if (mode === 'slots') rig.world.apiOf(api).kill('was killed');
        }),
        Branch({
          checkpointName: 'c',
          paths: [Path({ name: 'cannot_start', steps: [rig.put('never', 'n')] })],
        }),
        Branch({
          checkpointName: 'c',
          paths: [Path({ name: 'starts', steps: [rig.sees('sees', { base: 'x' })] })],
        }),
        rig.sees('line_goes_on', { base: 'x' }),
      ],
    });
    const result = await rig.runner().run(journey);
    expect(pathStatuses(result)).toEqual(['cannot_start: failed', 'starts: passed']);
    const failed = pathNamed(result, 'cannot_start');
    expect(failed.error?.message).toMatch(/exited with code 1 while starting/);
    expect(failed.items[0]?.kind === 'step' && failed.items[0].error?.message).toBe(
      'the path could not start',
    );
    expect(result.items.at(-1)?.status).toBe('passed');
    expect(rig.ran).not.toContain('never');
    rig.expectNothingLeft();
  });
});
