import { describe, expect, it } from 'vitest';
import {
  Branch,
  Checkpoint,
  Journey,
  JourneyContext,
  JourneyDefinitionError,
  Path,
  Step,
} from '../../../src/journey/index.js';

const step = (name: string) => Step({ name, action: () => undefined });

function problemsOf(build: () => unknown): readonly string[] {
  try {
    build();
  } catch (error) {
    if (error instanceof JourneyDefinitionError) return error.problems;
    throw error;
  }
  throw new Error('expected a JourneyDefinitionError');
}

describe('journey DSL', () => {
  it('builds a frozen tree with nested branches', () => {
    const journey = Journey({
      name: 'checkout',
      steps: [
        step('login'),
        Checkpoint({ name: 'logged_in' }),
        Branch({
          checkpointName: 'logged_in',
          paths: [
            Path({
              name: 'a',
              steps: [
                step('x'),
                Checkpoint({ name: 'inner' }),
                Branch({ checkpointName: 'inner', paths: [Path({ name: 'deep', steps: [] })] }),
                // A path may branch again from a checkpoint of an enclosing line.
                Branch({
                  checkpointName: 'logged_in',
                  paths: [Path({ name: 'again', steps: [] })],
                }),
              ],
            }),
            Path({ name: 'b', steps: [step('x')] }),
          ],
        }),
      ],
    });
    expect(Object.isFrozen(journey)).toBe(true);
    expect(Object.isFrozen(journey.steps)).toBe(true);
    expect(journey.steps.map((s) => s.kind)).toEqual(['step', 'checkpoint', 'branch']);
  });

  it('names a branch whose checkpoint is not created before it, and lists the ones that are', () => {
    const problems = problemsOf(() =>
      Journey({
        name: 'j',
        steps: [
          Checkpoint({ name: 'first' }),
          Branch({ checkpointName: 'later', paths: [Path({ name: 'p', steps: [] })] }),
          Checkpoint({ name: 'later' }),
        ],
      }),
    );
    expect(problems).toEqual([
      "item 2: branch from checkpoint 'later', which is not created before it (checkpoints before it: 'first')",
    ]);
  });

  it('does not let a path see a checkpoint taken inside a sibling path', () => {
    const problems = problemsOf(() =>
      Journey({
        name: 'j',
        steps: [
          Checkpoint({ name: 'top' }),
          Branch({
            checkpointName: 'top',
            paths: [
              Path({ name: 'a', steps: [Checkpoint({ name: 'in_a' })] }),
              Path({
                name: 'b',
                steps: [
                  Branch({ checkpointName: 'in_a', paths: [Path({ name: 'c', steps: [] })] }),
                ],
              }),
            ],
          }),
        ],
      }),
    );
    expect(problems[0]).toMatch(/path 'b' › item 1: branch from checkpoint 'in_a'/);
  });

  it('rejects duplicate names: checkpoints anywhere, steps in one sequence, paths in one branch', () => {
    expect(
      problemsOf(() =>
        Journey({
          name: 'j',
          steps: [
            step('same'),
            step('same'),
            Checkpoint({ name: 'c' }),
            Branch({
              checkpointName: 'c',
              paths: [Path({ name: 'p', steps: [Checkpoint({ name: 'c' })] })],
            }),
          ],
        }),
      ),
    ).toEqual([
      "item 2: a second step named 'same' in the same sequence",
      "path 'p' › item 1: checkpoint 'c' is created twice in this journey",
    ]);
    expect(
      problemsOf(() =>
        Branch({
          checkpointName: 'c',
          paths: [Path({ name: 'p', steps: [] }), Path({ name: 'p', steps: [] })],
        }),
      ),
    ).toEqual(["branch from 'c' has two paths named 'p'"]);
  });

  it('rejects bad names and shapes when each node is built', () => {
    expect(() => Checkpoint({ name: 'order-created' })).toThrow(/letters, digits or '_'/);
    expect(() => Path({ name: 'a/b', steps: [] })).toThrow(/must not contain '\/'/);
    expect(() => Step({ name: '', action: () => undefined })).toThrow(/non-empty name/);
    expect(() => Step({ name: 's', action: 'nope' as never })).toThrow(/needs an action/);
    expect(() => Step({ name: 's', action: () => 1, expect: { status: 99 } })).toThrow(
      /not an HTTP status/,
    );
    expect(() => Branch({ checkpointName: 'c', paths: [] })).toThrow(/at least one path/);
    expect(() => Journey({ name: 'bad\u0007name', steps: [] })).toThrow(/control character/);
    // C1 controls (U+009B is CSI to a terminal), bidi overrides, separators, lone surrogates.
    expect(() => Journey({ name: 'clear\u009b2J', steps: [] })).toThrow(/control character/);
    for (const name of ['a\u202eb', 'a\u2066b', 'a\u2028b', 'a\ud800b']) {
      expect(() => Path({ name, steps: [] })).toThrow(/changes how it prints/);
    }
    // Other unicode stays allowed: names are labels, not identifiers.
    expect(Journey({ name: 'café 日本 🐍 \u200b', steps: [] }).name).toBe('café 日本 🐍 \u200b');
  });
});

describe('JourneyContext', () => {
  it('gives each copy its own values', () => {
    const ctx = new JourneyContext().set('order', { id: 1, items: ['a'] });
    const copy = ctx.copy();
    copy.require<{ items: string[] }>('order').items.push('b');
    copy.set('only_in_copy', true);
    expect(ctx.require('order')).toEqual({ id: 1, items: ['a'] });
    expect(ctx.has('only_in_copy')).toBe(false);
  });

  it('names the missing key and the ones it holds', () => {
    const ctx = new JourneyContext().set('token', 't');
    expect(() => ctx.require('order_id')).toThrow(
      "Context key 'order_id' not found; the journey context holds: 'token'",
    );
  });
});
