import type { ItemResult, ResultStatus } from '../../result/run-result.js';

/**
 * A line's status by what happened on it, as the JUnit report counts it: failed when one of
 * its own steps or checkpoints failed, a branch of it failed as a whole, or it could not
 * start; a line whose only failures are in its nested paths passed (they are drawn red).
 */
export function ownStatus(line: {
  status: ResultStatus;
  items: readonly ItemResult[];
  error?: unknown;
}): ResultStatus {
  if (line.status === 'skipped') return 'skipped';
  const failed =
    line.error !== undefined ||
    line.items.some((item) =>
      item.kind === 'branch' ? item.error !== undefined : item.status === 'failed',
    );
  return failed ? 'failed' : line.status === 'failed' ? 'passed' : line.status;
}
