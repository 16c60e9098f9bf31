import { toErrorInfo } from '../result/error-info.js';
import type { StateDiff } from '../result/state-diff.js';
import { compareCaptures } from './compare-captures.js';
import { captureDatabase, withDiffClient, type DatabaseCapture } from './database-capture.js';
import { batchedRowReader } from './table-rows.js';

/** How much of each table a diff reads and shows (`report.diff_rows`, `report.diff_max_rows`). */
export interface DiffLimits {
  /** Changed rows shown with their values, per table. */
  rowLimit: number;
  /** Tables with more rows than this on a side are compared by row count only. */
  maxRows: number;
}

/** The names a diff is labelled with: what it compares from, and what to. */
export interface DiffSides {
  from: string;
  to: string;
}

/**
 * Read the database at `url` as the side a diff compares against (its rows' values kept, up
 * to `maxRows` per table): a checkpoint's state, captured once and compared with every path
 * that starts from it.
 */
export function captureBaseline(url: string, limits: DiffLimits): Promise<DatabaseCapture> {
  return withDiffClient(url, (client) =>
    captureDatabase(client, { maxRows: limits.maxRows, values: true }, (capture) =>
      Promise.resolve(capture),
    ),
  );
}

/**
 * Compare the database at `url` with a baseline: it is read by row hash (32 bytes a row), and
 * only the first `rowLimit` changed rows of each table are fetched whole, in the same
 * transaction. Never throws: a diff that could not be made carries its `error`.
 */
export async function diffAgainst(
  baseline: DatabaseCapture | Promise<DatabaseCapture>,
  url: string,
  sides: DiffSides,
  limits: DiffLimits,
): Promise<StateDiff> {
  const began = performance.now();
  try {
    return await compareWith(await baseline, url, sides, limits);
  } catch (error) {
    return {
      ...sides,
      tables: [],
      rowLimit: limits.rowLimit,
      maxRows: limits.maxRows,
      countedOnly: [],
      durationMs: performance.now() - began,
      error: toErrorInfo(error),
    };
  }
}

/** {@link diffAgainst}, throwing the typed error of what went wrong (for the CLI). */
export async function compareWith(
  before: DatabaseCapture,
  url: string,
  sides: DiffSides,
  limits: DiffLimits,
): Promise<StateDiff> {
  const began = performance.now();
  return withDiffClient(url, (client) =>
    captureDatabase(client, { maxRows: limits.maxRows, values: false }, async (after) => ({
      ...sides,
      tables: await compareCaptures(before, after, batchedRowReader(client), limits),
      rowLimit: limits.rowLimit,
      maxRows: limits.maxRows,
      countedOnly: [...new Set([...before.countedOnly, ...after.countedOnly])].sort(),
      durationMs: performance.now() - began,
    })),
  );
}
