import createDebug from 'debug';
import type { StateDiff } from '../result/state-diff.js';
import type { DatabaseCapture } from './database-capture.js';
import { captureBaseline, diffAgainst, type DiffLimits } from './diff-against.js';
import { DiffBaselineMissingError } from './diff-errors.js';

const debug = createDebug('venomqa:diff');

export interface StateDiffOptions extends DiffLimits {
  /** `all`: every path that ran; `failed`: paths whose own steps or checkpoints failed. */
  paths: 'all' | 'failed';
}

/**
 * The state diffs of one journey run (`report.diff`), as the runner's hook: each checkpoint a
 * branch starts from is read once, right after it is taken (a checkpoint is a template
 * database that refuses connections, so it cannot be read later without a copy); each path
 * is then compared with that capture when its own steps are done, reading its database by row
 * hash. Captures are held until `close()`, at most `maxRows` rows per table each.
 *
 * @example
 * ```ts
 * const runner = new JourneyRunner({
 *   stateManager,
 *   target,
 *   stateDiff: () => new StateDiffRecorder({ paths: 'all', rowLimit: 20, maxRows: 100_000 }),
 * });
 * ```
 */
export class StateDiffRecorder {
  readonly paths: 'all' | 'failed';
  readonly #limits: DiffLimits;
  readonly #captures = new Map<string, Promise<DatabaseCapture>>();

  constructor(options: StateDiffOptions) {
    this.paths = options.paths;
    this.#limits = { rowLimit: options.rowLimit, maxRows: options.maxRows };
  }

  /**
   * Read checkpoint `checkpoint`'s state from the database at `url`, which it was just taken
   * of. Resolves once read (the caller's line must not write before); a failed read is kept
   * and reported by each diff against it, never thrown here.
   */
  async checkpointTaken(checkpoint: string, url: string): Promise<void> {
    const capture = captureBaseline(url, this.#limits);
    this.#captures.set(checkpoint, capture);
    try {
      await capture;
    } catch (error) {
      debug('capturing checkpoint %s failed: %o', checkpoint, error);
    }
  }

  /** What the database at `url` changed since `checkpoint`, labelled `path`. Never rejects. */
  pathDone(checkpoint: string, url: string, path: string): Promise<StateDiff> {
    const baseline =
      this.#captures.get(checkpoint) ??
      Promise.reject(new DiffBaselineMissingError(checkpoint, [...this.#captures.keys()]));
    return diffAgainst(baseline, url, { from: checkpoint, to: path }, this.#limits);
  }

  /** Drop every capture. */
  close(): void {
    this.#captures.clear();
  }
}
