import { createHash } from 'node:crypto';
import type { BranchNode, JourneyNode, PathNode } from '../journey/journey-nodes.js';
import type { JourneyResult } from '../result/run-result.js';
import { ShardSpecError } from './run-errors.js';
import { finishShardPart } from './shard-results.js';

/** `--shard 2/4`: the second of four shards (1-based, as Playwright and vitest count). */
export interface ShardSpec {
  index: number;
  total: number;
}

/** What one shard does with one journey: the part of it to run, and how to report it. */
export interface JourneyPart {
  /** The journey with only this shard's paths, or undefined when none of them is here. */
  journey: JourneyNode | undefined;
  /** The result of that part (undefined when it did not run), with the other paths added back. */
  finish(result: JourneyResult | undefined, info: PartInfo): JourneyResult;
}

export interface PartInfo {
  apiMode: string;
  parallelPaths: number;
  file?: string | undefined;
}

/** Why a path did not run here, as its result says. */
export const IN_ANOTHER_SHARD = 'in another shard';

/**
 * Reads `--shard i/n`.
 *
 * @example
 * ```ts
 * parseShard('2/4'); // { index: 2, total: 4 }
 * ```
 */
export function parseShard(text: string): ShardSpec {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total) {
    throw new ShardSpecError(`--shard must be i/n with 1 <= i <= n (such as 2/4), got "${text}"`);
  }
  return { index, total };
}

/**
 * The unit a shard owns: a path of a branch on a journey's main line, together with its nested
 * paths (they need its steps as their prefix, so splitting them would run those twice), or a
 * whole journey that has no branch. Keyed `journey/path`, or `journey`.
 */
export function unitKey(journey: string, path?: string): string {
  return path === undefined ? journey : `${journey}/${path}`;
}

/** The main-line paths of a journey, in order. */
export function topLevelPaths(journey: JourneyNode): PathNode[] {
  return journey.steps
    .filter((item): item is BranchNode => item.kind === 'branch')
    .flatMap((branch) => [...branch.paths]);
}

/**
 * Which paths one shard of a run runs. Units (see {@link unitKey}) are dealt to the shards
 * largest first, each to the shard with the least work so far; a unit's work is its duration
 * in an earlier run's report (`durations`, the median of the known ones for a new unit), else
 * 1, so without durations each shard gets an equal count. Ties go by a stable hash of the
 * unit's key, so every machine computes the same plan from the same journeys.
 *
 * A shard runs a journey's main line (steps, checkpoints) whenever it owns one of its paths,
 * since paths start from its checkpoints; the shard owning the journey's first path is the one
 * whose main-line results a merged report keeps. Paths owned elsewhere are reported as skipped,
 * `in another shard`.
 */
export class ShardPlan {
  readonly spec: ShardSpec;
  readonly #owner: ReadonlyMap<string, number>;

  constructor(
    spec: ShardSpec,
    journeys: readonly JourneyNode[],
    durations?: ReadonlyMap<string, number>,
  ) {
    this.spec = spec;
    const keys = journeys.flatMap((journey) => {
      const paths = topLevelPaths(journey);
      return paths.length === 0
        ? [unitKey(journey.name)]
        : paths.map((path) => unitKey(journey.name, path.name));
    });
    this.#owner = assignUnits([...new Set(keys)], spec.total, durations);
  }

  /** How many units this shard owns, of how many: for the progress line. */
  count(): { owned: number; total: number } {
    const owners = [...this.#owner.values()];
    return { owned: owners.filter((o) => o === this.spec.index).length, total: owners.length };
  }

  part(journey: JourneyNode): JourneyPart {
    const paths = topLevelPaths(journey);
    const owns = (path?: PathNode): boolean =>
      this.#owner.get(unitKey(journey.name, path?.name)) === this.spec.index;
    const reason = `${IN_ANOTHER_SHARD} (this is shard ${this.spec.index}/${this.spec.total})`;
    if (paths.length === 0) {
      const here = owns();
      return {
        journey: here ? journey : undefined,
        finish: (result, info) => finishShardPart(journey, result, info, { owns, reason, here }),
      };
    }
    const ownsAny = paths.some((path) => owns(path));
    return {
      journey: ownsAny ? pruned(journey, owns) : undefined,
      finish: (result, info) =>
        finishShardPart(journey, result, info, { owns, reason, here: owns(paths[0]) }),
    };
  }
}

/** The journey with only the owned paths in the branches of its main line. */
function pruned(journey: JourneyNode, owns: (path: PathNode) => boolean): JourneyNode {
  return Object.freeze({
    ...journey,
    steps: Object.freeze(
      journey.steps.map((item) =>
        item.kind === 'branch'
          ? Object.freeze({ ...item, paths: Object.freeze(item.paths.filter(owns)) })
          : item,
      ),
    ),
  });
}

/** Unit key → shard (1-based): largest first, each to the least loaded shard. */
export function assignUnits(
  keys: readonly string[],
  total: number,
  durations?: ReadonlyMap<string, number>,
): Map<string, number> {
  const known = keys.flatMap((key) => {
    const ms = durations?.get(key);
    return ms !== undefined && ms > 0 ? [ms] : [];
  });
  const fallback = known.length > 0 ? median(known) : 1;
  const weighted = keys
    .map((key) => ({ key, weight: durations?.get(key) || fallback, hash: stableHash(key) }))
    .sort((a, b) => b.weight - a.weight || a.hash - b.hash || a.key.localeCompare(b.key));
  const loads = Array.from({ length: total }, () => 0);
  const owner = new Map<string, number>();
  for (const unit of weighted) {
    const least = loads.indexOf(Math.min(...loads));
    loads[least] = (loads[least] ?? 0) + unit.weight;
    owner.set(unit.key, least + 1);
  }
  return owner;
}

function stableHash(key: string): number {
  return Number.parseInt(createHash('sha256').update(key).digest('hex').slice(0, 8), 16);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 1)
    : ((sorted[middle - 1] ?? 1) + (sorted[middle] ?? 1)) / 2;
}
