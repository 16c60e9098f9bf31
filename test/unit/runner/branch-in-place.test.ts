import { describe, expect, it } from 'vitest';
import { Branch, Checkpoint, Journey, Path, Step } from '../../../src/journey/journey-builders.js';
import { JourneyRunner } from '../../../src/runner/journey-runner.js';
import {
  RunnerConfigError,
  SavepointWithExternalApiError,
} from '../../../src/runner/runner-errors.js';
import { FakeStateManager } from '../state/fake-state-manager.js';
import { FakeRig, pathStatuses } from './fake-rig.js';
import { FakeTarget } from './fake-target.js';
import { FakeWorld } from './fake-world.js';

/** A SAVEPOINT backend: its rollback undoes only what ran on its own connection. */
class FakeSavepointStateManager extends FakeStateManager {
  readonly rollbackReach = 'own-connection';
}

describe('one shared API: paths one after another, the database restored in place', () => {
  it('restores the checkpoint before each path and the line to its state just before the branch', async () => {
    const rig = new FakeRig('in-place');
    const journey = Journey({
      name: 'j',
      steps: [
        rig.put('base', 'base'),
        Checkpoint({ name: 'c' }),
        // Past the checkpoint: paths start from the checkpoint, the line goes on from here.
        rig.put('on_the_line', 'line'),
        Branch({
          checkpointName: 'c',
          paths: [
            Path({ name: 'broken', steps: [rig.put('write', 'w'), rig.fails('breaks')] }),
            Path({
              name: 'writer',
              steps: [rig.sees('sees', { base: 'x' }), rig.put('write', 'v')],
            }),
            Path({ name: 'reader', steps: [rig.sees('sees', { base: 'x' })] }),
          ],
        }),
        rig.sees('line_goes_on', { base: 'x', line: 'x' }),
      ],
    });
    const runner = rig.runner();
    expect(runner.mode).toBe('in-place');
    const result = await runner.run(journey);
    expect(pathStatuses(result)).toEqual(['broken: failed', 'writer: passed', 'reader: passed']);
    expect(result.items.at(-1)?.status).toBe('passed');
    expect(rig.state.calls.filter((call) => call === 'rollback:c')).toHaveLength(3);
    expect(rig.target.acquired).toHaveLength(1);
    rig.expectNothingLeft();
  });

  it('refuses parallel paths against one shared API', () => {
    const rig = new FakeRig('in-place');
    expect(() => rig.runner({ parallelPaths: 2 })).toThrow(RunnerConfigError);
  });

  it('refuses a SAVEPOINT state manager with an API of its own, unless it shares the connection', async () => {
    const target = new FakeTarget(new FakeWorld(), { mode: 'shared' });
    const stateManager = new FakeSavepointStateManager();
    expect(() => new JourneyRunner({ target, stateManager })).toThrow(
      SavepointWithExternalApiError,
    );

    const runner = new JourneyRunner({ target, stateManager, apiSharesConnection: true });
    const noop = (name: string) => Step({ name, action: () => undefined });
    const result = await runner.run(
      Journey({
        name: 'j',
        steps: [
          Checkpoint({ name: 'c' }),
          Branch({
            checkpointName: 'c',
            paths: [
              Path({ name: 'a', steps: [noop('a')] }),
              Path({ name: 'b', steps: [noop('b')] }),
            ],
          }),
        ],
      }),
    );
    expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
    // Before each path, and the line goes on from the checkpoint (a SAVEPOINT cannot hold more).
    expect(stateManager.calls.filter((call) => call === 'rollbackToCheckpoint:chk_c')).toHaveLength(
      3,
    );
  });
});
