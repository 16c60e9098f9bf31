import type {
  ItemResult,
  JourneyResult,
  PathResult,
  ResultStatus,
  RunResult,
} from '../result/run-result.js';
import { ReportMergeError } from './report-errors.js';

export interface MergedReports {
  /** The whole run, as one run of every shard's paths would have reported it. */
  result: RunResult;
  /** Shards of `1..total` with no report among those merged: their paths stay skipped. */
  missingShards: number[];
}

/**
 * Put the reports of a sharded run (`venomqa run --shard i/n` on n machines) back into the
 * report of the whole run. For each journey the shard that owns its main line gives the
 * journey's steps and checkpoints; every path marked `inAnotherShard` there is replaced by the
 * same path from the shard that ran it. Statuses of branches and journeys are computed again
 * from the merged paths, as the runner computes them, and journeys counted as one run counts
 * them (not passed is failed). The run started when the first shard did and took as long as
 * the slowest shard (they ran at once); per-machine counters (API slots) are left out.
 *
 * @example
 * ```ts
 * const shards = await Promise.all(dirs.map(async (dir) => (await readJsonReport(dir)).result));
 * const { result, missingShards } = mergeReports(shards);
 * ```
 */
export function mergeReports(reports: readonly RunResult[]): MergedReports {
  if (reports.length === 0) throw new ReportMergeError('No reports to merge');
  const totals = new Set(reports.map((r) => r.shard?.total));
  if (totals.size > 1) {
    throw new ReportMergeError(
      `The reports come from runs split into different numbers of shards (${[...totals].map((t) => t ?? 'not sharded').join(', ')})`,
      {
        hint: 'Merge the reports of one sharded run: every job ran `--shard i/n` with the same n.',
      },
    );
  }
  const seen = new Set<number>();
  for (const report of reports) {
    const index = report.shard?.index;
    if (index === undefined) continue;
    if (seen.has(index)) {
      throw new ReportMergeError(
        `Two of the reports are of shard ${index}/${report.shard?.total}`,
        {
          hint: 'Give each job its own --report-dir (or artifact name), and merge each shard once.',
        },
      );
    }
    seen.add(index);
  }
  const total = reports[0]?.shard?.total;
  const missingShards =
    total === undefined
      ? []
      : Array.from({ length: total }, (_, i) => i + 1).filter((i) => !seen.has(i));

  const names = [...new Set(reports.flatMap((r) => r.journeys.map((j) => j.name)))];
  const journeys = names.map((name) =>
    mergeJourney(reports.flatMap((r) => r.journeys.filter((j) => j.name === name))),
  );
  const passed = journeys.filter((j) => j.status === 'passed').length;
  const setup = reports.find((r) => r.setup)?.setup;
  const result: RunResult = {
    startedAt: reports.map((r) => r.startedAt).sort()[0] ?? new Date(0).toISOString(),
    durationMs: Math.max(...reports.map((r) => r.durationMs)),
    journeys,
    passed,
    failed: journeys.length - passed,
    ...(setup ? { setup } : {}),
    mergedShards: reports.length,
  };
  return { result, missingShards };
}

function mergeJourney(candidates: readonly JourneyResult[]): JourneyResult {
  const base =
    candidates.find((j) => j.shard?.mainLine === true) ??
    candidates.find((j) => j.status !== 'skipped') ??
    candidates[0];
  if (!base) throw new Error('a journey to merge has no result');
  const merged: JourneyResult = structuredClone(base);
  delete merged.shard;
  merged.items = merged.items.map((item, index) => {
    if (item.kind !== 'branch') return item;
    const paths = item.paths.map((path) =>
      path.inAnotherShard ? (ranElsewhere(candidates, index, path.name) ?? path) : path,
    );
    const status = item.error !== undefined ? 'failed' : aggregate(paths);
    return { ...item, paths, status };
  });
  merged.status = merged.error !== undefined ? 'failed' : aggregate(merged.items);
  return merged;
}

/** The result of a main-line path from the shard that ran it. */
function ranElsewhere(
  candidates: readonly JourneyResult[],
  itemIndex: number,
  pathName: string,
): PathResult | undefined {
  for (const journey of candidates) {
    const item: ItemResult | undefined = journey.items[itemIndex];
    if (item?.kind !== 'branch') continue;
    const path = item.paths.find((p) => p.name === pathName && !p.inAnotherShard);
    if (path) return structuredClone(path);
  }
  return undefined;
}

/** As the runner aggregates a line: failed when one failed, else skipped when one was. */
function aggregate(items: readonly { status: ResultStatus }[]): ResultStatus {
  if (items.some((item) => item.status === 'failed')) return 'failed';
  if (items.some((item) => item.status === 'skipped')) return 'skipped';
  return 'passed';
}
