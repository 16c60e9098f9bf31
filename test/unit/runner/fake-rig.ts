import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import type { HttpClient } from '../../../src/http/http-client.js';
import type { JourneyContext } from '../../../src/journey/journey-context.js';
import { Step } from '../../../src/journey/journey-builders.js';
import type { StepNode } from '../../../src/journey/journey-nodes.js';
import { JourneyRunner, type JourneyRunnerOptions } from '../../../src/runner/journey-runner.js';
import type {
  BranchResult,
  ItemResult,
  JourneyResult,
  PathResult,
} from '../../../src/result/run-result.js';
import { FakeBranchingStateManager } from './fake-branching-state.js';
import { FakeTarget } from './fake-target.js';
import { FakeWorld, tick } from './fake-world.js';

/**
 * How the runner gives paths an API: `slots` (api.reuse, the default), `per-path`
 * (api.reuse false) or `in-place` (one shared API).
 */
export type RigMode = 'slots' | 'per-path' | 'in-place';

/** A fake world with a target and a state manager, and a runner for it in the chosen mode. */
export class FakeRig {
  readonly world: FakeWorld;
  readonly target: FakeTarget;
  readonly state: FakeBranchingStateManager;
  readonly mode: RigMode;
  /** Step names in the order their actions ran (twice when a path was retried). */
  readonly ran: string[] = [];

  constructor(mode: RigMode = 'slots', working: Record<string, string> = {}) {
    this.mode = mode;
    this.world = new FakeWorld(working);
    this.target = new FakeTarget(this.world, { mode: mode === 'in-place' ? 'shared' : 'process' });
    this.state = new FakeBranchingStateManager(this.world);
  }

  /** A runner on this rig; `parallelPaths` defaults to 1, log capture (a 100 ms wait) is off. */
  runner(options: Partial<JourneyRunnerOptions> = {}): JourneyRunner {
    return new JourneyRunner({
      target: this.target,
      stateManager: this.state,
      reuseApi: this.mode !== 'per-path',
      captureLogs: false,
      ...options,
    });
  }

  /** A step whose action runs `action` on the database its API serves (and records that it ran). */
  step(
    name: string,
    action: (data: Map<string, string>, api: HttpClient, ctx: JourneyContext) => unknown,
  ): StepNode {
    return Step({
      name,
      action: async (api, ctx) => {
        this.ran.push(name);
        await tick();
        return action(this.world.dataOf(api), api, ctx);
      },
    });
  }

  /** Writes `key = value`. */
  put(name: string, key: string, value = 'x'): StepNode {
    return this.step(name, (data) => void data.set(key, value));
  }

  /** Passes when the database holds exactly `expected`. */
  sees(name: string, expected: Record<string, string>): StepNode {
    return this.step(name, (data) => {
      const actual = Object.fromEntries(data);
      if (!isDeepStrictEqual(actual, expected)) {
        throw new Error(`saw ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
      }
    });
  }

  /** Throws `message`, after touching its database like any step. */
  fails(name: string, message = `${name} fails on purpose`): StepNode {
    return this.step(name, () => {
      throw new Error(message);
    });
  }

  /** Nothing outlives the run: every API released, every clone dropped, no database left. */
  expectNothingLeft(): void {
    expect(this.target.unreleased().map((api) => api.label)).toEqual([]);
    expect(this.state.undroppedClones().map((clone) => clone.name)).toEqual([]);
    expect(this.world.leftovers()).toEqual([]);
  }
}

/** Every path of a result tree, depth first, nested ones after their parent. */
export function allPaths(items: readonly ItemResult[]): PathResult[] {
  return items
    .filter((item): item is BranchResult => item.kind === 'branch')
    .flatMap((branch) => branch.paths.flatMap((path) => [path, ...allPaths(path.items)]));
}

/** `qualified name: status` of every path, for one readable assertion. */
export function pathStatuses(result: JourneyResult): string[] {
  return allPaths(result.items).map((path) => `${path.qualifiedName}: ${path.status}`);
}

/** `name: status` of the items of one line (a branch as `branch from <checkpoint>`). */
export function itemStatuses(items: readonly ItemResult[]): string[] {
  return items.map(
    (item) =>
      `${item.kind === 'branch' ? `branch from ${item.checkpointName}` : item.name}: ${item.status}`,
  );
}

/** The path named `qualifiedName`; fails the test when there is none. */
export function pathNamed(result: JourneyResult, qualifiedName: string): PathResult {
  const path = allPaths(result.items).find((p) => p.qualifiedName === qualifiedName);
  if (!path) throw new Error(`no path '${qualifiedName}' in ${pathStatuses(result).join(', ')}`);
  return path;
}
