import type { ResolvedConfig } from '../config/schema.js';
import { StateDiffRecorder } from '../diff/state-diff-recorder.js';
import type { StateDiffHook } from '../runner/state-diff-hook.js';

/**
 * The runner's state diff hook as `report:` configures it: a new recorder per journey, or
 * none with `diff: off` (then no checkpoint is read at all).
 */
export function stateDiffsFor(report: ResolvedConfig['report']): (() => StateDiffHook) | undefined {
  const paths = report.diff;
  if (paths === 'off') return undefined;
  return () =>
    new StateDiffRecorder({ paths, rowLimit: report.diff_rows, maxRows: report.diff_max_rows });
}
