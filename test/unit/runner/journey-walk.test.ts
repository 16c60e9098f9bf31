import { describe, expect, it } from 'vitest';
import { Branch, Checkpoint, Journey, Path } from '../../../src/journey/journey-builders.js';
import type { RunnerEvent } from '../../../src/runner/runner-events.js';
import { FakeRig, itemStatuses, pathNamed, pathStatuses, type RigMode } from './fake-rig.js';

const MODES: RigMode[] = ['slots', 'per-path', 'in-place'];

describe.each(MODES)('the rules of a line (%s)', (mode) => {
  it('skips the rest of a line after a failed step, a branch after it included', async () => {
    const rig = new FakeRig(mode);
    const journey = Journey({
      name: 'j',
      steps: [
        rig.put('first', 'a'),
        rig.fails('breaks'),
        rig.put('never', 'b'),
        Checkpoint({ name: 'c' }),
        Branch({
          checkpointName: 'c',
          paths: [Path({ name: 'p', steps: [rig.put('in_p', 'p')] })],
        }),
      ],
    });
    const result = await rig.runner().run(journey);
    expect(result.status).toBe('failed');
    expect(itemStatuses(result.items)).toEqual([
      'first: passed',
      'breaks: failed',
      'never: skipped',
      'c: skipped',
      'branch from c: skipped',
    ]);
    expect(pathStatuses(result)).toEqual(['p: skipped']);
    const never = result.items[2];
    expect(never?.kind === 'step' && never.error?.message).toBe("'breaks' failed before it");
    expect(rig.ran).toEqual(['first', 'breaks']);
    rig.expectNothingLeft();
  });

  it('skips the rest of a path after its failed step, and only of that path', async () => {
    const rig = new FakeRig(mode);
    const journey = Journey({
      name: 'j',
      steps: [
        rig.put('base', 'base'),
        Checkpoint({ name: 'c' }),
        Branch({
          checkpointName: 'c',
          paths: [
            Path({
              name: 'broken',
              steps: [rig.put('write', 'w'), rig.fails('breaks'), rig.put('never', 'n')],
            }),
            Path({ name: 'fine', steps: [rig.sees('sees_base', { base: 'x' })] }),
          ],
        }),
      ],
    });
    const result = await rig.runner().run(journey);
    expect(pathStatuses(result)).toEqual(['broken: failed', 'fine: passed']);
    expect(itemStatuses(pathNamed(result, 'broken').items)).toEqual([
      'write: passed',
      'breaks: failed',
      'never: skipped',
    ]);
    expect(rig.ran).not.toContain('never');
    rig.expectNothingLeft();
  });

  it('goes on after a branch with a failed path: the steps after it run on the line', async () => {
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
          ],
        }),
        rig.sees('after', { base: 'x' }),
      ],
    });
    const result = await rig.runner().run(journey);
    expect(result.status).toBe('failed');
    expect(itemStatuses(result.items)).toEqual([
      'base: passed',
      'c: passed',
      'branch from c: failed',
      'after: passed',
    ]);
    expect(pathStatuses(result)).toEqual(['broken: failed', 'fine: passed']);
    rig.expectNothingLeft();
  });

  it('with fail_fast, skips every other path and the rest of the line after a failure', async () => {
    const rig = new FakeRig(mode);
    const journey = Journey({
      name: 'j',
      steps: [
        rig.put('base', 'base'),
        Checkpoint({ name: 'c' }),
        Branch({
          checkpointName: 'c',
          paths: [
            Path({ name: 'broken', steps: [rig.fails('breaks')] }),
            Path({ name: 'second', steps: [rig.put('s1', 's1'), rig.put('s2', 's2')] }),
            Path({ name: 'third', steps: [rig.put('t', 't')] }),
          ],
        }),
        rig.put('after', 'after'),
      ],
    });
    const result = await rig.runner({ failFast: true }).run(journey);
    expect(result.status).toBe('failed');
    expect(pathStatuses(result)).toEqual(['broken: failed', 'second: skipped', 'third: skipped']);
    expect(pathNamed(result, 'third').skipReason).toBe('fail_fast: another path failed');
    // Stopped by fail_fast is not a failure of the branch itself.
    expect(result.items[2]).not.toHaveProperty('error');
    const after = result.items[3];
    expect(after?.status).toBe('skipped');
    expect(after?.kind === 'step' && after.error?.message).toBe('fail_fast: another path failed');
    expect(rig.ran).toEqual(['base', 'breaks']);
    rig.expectNothingLeft();
  });

  it('gives each path a copy of the context: what one path stores, no other line sees', async () => {
    const rig = new FakeRig(mode);
    const has = (name: string, key: string, expected: boolean) =>
      rig.step(name, (_data, _api, ctx) => {
        if (ctx.has(key) !== expected) throw new Error(`ctx.has('${key}') is ${String(!expected)}`);
      });
    const journey = Journey({
      name: 'j',
      steps: [
        rig.step('login', (_data, _api, ctx) => ctx.set('token', 't')),
        Checkpoint({ name: 'c' }),
        Branch({
          checkpointName: 'c',
          paths: [
            Path({
              name: 'a',
              steps: [
                has('has_the_token', 'token', true),
                rig.step('stores', (_data, _api, ctx) => ctx.set('order', 1)),
              ],
            }),
            Path({ name: 'b', steps: [has('has_no_order', 'order', false)] }),
          ],
        }),
        has('line_has_no_order', 'order', false),
      ],
    });
    const result = await rig.runner().run(journey);
    expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
    rig.expectNothingLeft();
  });

  it('finishes the run when an onEvent listener throws', async () => {
    const rig = new FakeRig(mode);
    const seen: RunnerEvent['type'][] = [];
    const journey = Journey({
      name: 'j',
      steps: [
        rig.put('base', 'base'),
        Checkpoint({ name: 'c' }),
        Branch({
          checkpointName: 'c',
          paths: [
            Path({ name: 'a', steps: [rig.put('write', 'a')] }),
            Path({ name: 'b', steps: [rig.sees('sees_base', { base: 'x' })] }),
          ],
        }),
        rig.sees('after', { base: 'x' }),
      ],
    });
    const runner = rig.runner({
      onEvent: (event) => {
        seen.push(event.type);
        throw new Error('the listener broke');
      },
    });
    const result = await runner.run(journey);
    expect(result.status, JSON.stringify(result, null, 2)).toBe('passed');
    expect(pathStatuses(result)).toEqual(['a: passed', 'b: passed']);
    expect(seen).toEqual(['journey-started', 'path-finished', 'path-finished', 'journey-finished']);
    rig.expectNothingLeft();
  });
});

describe.each(['slots', 'per-path'] as const)(
  'fail_fast with paths running at once (%s)',
  (mode) => {
    it('skips a path whose step was in flight when another failed: never passed, never failed', async () => {
      const rig = new FakeRig(mode);
      let started!: () => void;
      const inFlight = new Promise<void>((resolve) => (started = resolve));
      let failed!: () => void;
      const failureSeen = new Promise<void>((resolve) => (failed = resolve));
      const journey = Journey({
        name: 'j',
        steps: [
          rig.put('base', 'base'),
          Checkpoint({ name: 'c' }),
          Branch({
            checkpointName: 'c',
            paths: [
              Path({
                name: 'broken',
                steps: [
                  rig.step('breaks_while_the_other_runs', async () => {
                    await inFlight;
                    throw new Error('broken');
                  }),
                ],
              }),
              Path({
                name: 'slow',
                steps: [
                  rig.step('in_flight', async () => {
                    started();
                    await failureSeen;
                  }),
                  rig.put('after', 'after'),
                ],
              }),
            ],
          }),
        ],
      });
      const runner = rig.runner({
        parallelPaths: 2,
        failFast: true,
        onEvent: (event) => {
          if (event.type === 'path-finished' && event.path.status === 'failed') failed();
        },
      });
      const result = await runner.run(journey);
      expect(pathStatuses(result)).toEqual(['broken: failed', 'slow: skipped']);
      expect(itemStatuses(pathNamed(result, 'slow').items)).toEqual([
        'in_flight: passed',
        'after: skipped',
      ]);
      expect(rig.ran).not.toContain('after');
      rig.expectNothingLeft();
    });
  },
);
