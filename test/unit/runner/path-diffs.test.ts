import { describe, expect, it } from 'vitest';
import { Branch, Checkpoint, Journey, Path } from '../../../src/journey/journey-builders.js';
import type { StateDiff } from '../../../src/result/state-diff.js';
import type { CheckpointCopy, StateDiffHook } from '../../../src/runner/state-diff-hook.js';
import { allPaths, FakeRig, type RigMode } from './fake-rig.js';
import type { FakeWorld } from './fake-world.js';

/**
 * A state diff hook over the fake world: it records what each side held, instead of reading
 * PostgreSQL. With `all` it reads a checkpoint when told it was taken; with `failed` through
 * the copy the runner hands over, as venomqa/diff's recorder does.
 */
class RecordingHook implements StateDiffHook {
  readonly captures = new Map<string, Record<string, string>>();
  readonly diffs: {
    path: string;
    before: Record<string, string>;
    after: Record<string, string>;
  }[] = [];
  copies = 0;
  closed = false;

  constructor(
    readonly paths: 'all' | 'failed',
    readonly world: FakeWorld,
  ) {}

  #read(url: string): Record<string, string> {
    return Object.fromEntries(this.world.require(this.world.nameOf(url)));
  }

  checkpointTaken(checkpoint: string, url: string): Promise<boolean> {
    if (this.paths === 'failed') return Promise.resolve(false);
    this.captures.set(checkpoint, this.#read(url));
    return Promise.resolve(true);
  }

  async pathDone(
    checkpoint: string,
    url: string,
    path: string,
    copy?: CheckpointCopy,
  ): Promise<StateDiff> {
    let before = this.captures.get(checkpoint);
    if (before === undefined && copy) {
      this.copies += 1;
      const database = await copy();
      before = this.#read(database.url);
      await database.drop();
    }
    this.diffs.push({ path, before: before ?? {}, after: this.#read(url) });
    return {
      from: checkpoint,
      to: path,
      tables: [],
      rowLimit: 20,
      maxRows: 1,
      countedOnly: [],
      durationMs: 0,
    };
  }

  close(): void {
    this.closed = true;
  }
}

function journey(rig: FakeRig) {
  return Journey({
    name: 'j',
    steps: [
      rig.put('base', 'base'),
      Checkpoint({ name: 'c' }),
      Branch({
        checkpointName: 'c',
        paths: [
          Path({ name: 'broken', steps: [rig.put('write', 'w'), rig.fails('breaks')] }),
          Path({ name: 'fine', steps: [rig.put('write', 'v')] }),
        ],
      }),
    ],
  });
}

const MODES: RigMode[] = ['slots', 'per-path', 'in-place'];

describe.each(MODES)('state diffs of paths (%s)', (mode) => {
  it('with failed, diffs the failed path against a copy of its checkpoint, read then', async () => {
    const rig = new FakeRig(mode);
    const hook = new RecordingHook('failed', rig.world);
    const result = await rig
      .runner({ parallelPaths: mode === 'in-place' ? 1 : 2, stateDiff: () => hook })
      .run(journey(rig));
    expect(hook.captures.size).toBe(0);
    expect(hook.copies).toBe(1);
    expect(hook.diffs).toEqual([
      { path: 'j/broken', before: { base: 'x' }, after: { base: 'x', w: 'x' } },
    ]);
    const paths = allPaths(result.items);
    expect(paths.map((p) => [p.qualifiedName, p.stateDiff?.to])).toEqual([
      ['broken', 'j/broken'],
      ['fine', undefined],
    ]);
    // The copy was dropped with everything else.
    rig.expectNothingLeft();
  });

  it('with all, reads the checkpoint when it is taken and diffs every path against it', async () => {
    const rig = new FakeRig(mode);
    const hook = new RecordingHook('all', rig.world);
    await rig
      .runner({ parallelPaths: mode === 'in-place' ? 1 : 2, stateDiff: () => hook })
      .run(journey(rig));
    expect(hook.captures.get('c')).toEqual({ base: 'x' });
    expect(hook.copies).toBe(0);
    expect(hook.closed).toBe(true);
    expect([...hook.diffs].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'j/broken', before: { base: 'x' }, after: { base: 'x', w: 'x' } },
      { path: 'j/fine', before: { base: 'x' }, after: { base: 'x', v: 'x' } },
    ]);
    rig.expectNothingLeft();
  });
});
