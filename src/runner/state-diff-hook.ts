import type { ItemResult, PathResult } from '../result/run-result.js';
import type { StateDiff } from '../result/state-diff.js';

/**
 * What the runner tells a state diff (`report.diff`), one hook per journey run: when a
 * checkpoint was taken, and when a path's own steps are done while its database still holds
 * what they wrote. The runner only says when; `venomqa/diff`'s `StateDiffRecorder` does the
 * reading and comparing.
 */
export interface StateDiffHook {
  /** `all`: every path that ran; `failed`: paths whose own steps or checkpoints failed. */
  readonly paths: 'all' | 'failed';
  /**
   * Checkpoint `checkpoint` of the database at `url` was just taken, and the line has not
   * written since: capture what diffs against it need, or nothing yet. Resolves to whether it
   * read the database now. Never rejects.
   */
  checkpointTaken(checkpoint: string, url: string): Promise<boolean>;
  /**
   * What changed in the database at `url` since `checkpoint`, labelled `path`. `copy` makes a
   * new database holding the checkpoint's state, for a hook that did not read it when it was
   * taken. Never rejects.
   */
  pathDone(
    checkpoint: string,
    url: string,
    path: string,
    copy?: CheckpointCopy,
  ): Promise<StateDiff>;
  /** The journey is over: drop what the captures hold. */
  close(): void;
}

/** A new database holding a checkpoint's state (a clone of its template), dropped after use. */
export type CheckpointCopy = () => Promise<{ url: string; drop(): Promise<void> }>;

/**
 * True when something of the path's own line failed: a step, a checkpoint, or one of its
 * branches as a whole. A path whose only failures are in its nested paths did not fail itself
 * (those paths get diffs of their own).
 */
export function ownItemsFailed(items: readonly ItemResult[]): boolean {
  return items.some((item) =>
    item.kind === 'branch' ? item.error !== undefined : item.status === 'failed',
  );
}

/** Whether the hook wants this path's diff: it ran (started, not stopped) and `paths` says so. */
export function wantsDiff(hook: StateDiffHook, result: PathResult): boolean {
  if (result.error !== undefined || result.status === 'skipped') return false;
  return hook.paths === 'all' || ownItemsFailed(result.items);
}
