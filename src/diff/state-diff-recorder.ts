import createDebug from 'debug';
import type { StateDiff } from '../result/state-diff.js';
import type { DatabaseCapture } from './database-capture.js';
import { captureBaseline, diffAgainst, type DiffLimits } from './diff-against.js';
import { DiffBaselineMissingError } from './diff-errors.js';

const debug = createDebug('venomqa:diff');

/** A new database holding a checkpoint's state (a clone of its template), dropped after use. */
export type CheckpointCopy = () => Promise<{ url: string; drop(): Promise<void> }>;

export interface StateDiffOptions extends DiffLimits {
  /** `all`: every path that ran; `failed`: paths whose own steps or checkpoints failed. */
  paths: 'all' | 'failed';
}

/**
 * The state diffs of one journey run (`report.diff`), as the runner's hook. With `all` each
 * checkpoint a branch starts from is read once, right after it is taken (a checkpoint is a
 * template database that refuses connections, so it cannot be read later without a copy);
 * with `failed` a checkpoint is read only when the first path from it fails, through a clone
 * of it, so a run whose paths pass reads nothing. Each path is compared with its checkpoint's
 * capture when its own steps are done, reading its database by row hash. Captures are held
 * until `close()`, at most `maxRows` rows per table each.
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
   * With `all`, read checkpoint `checkpoint`'s state from the database at `url`, which it was
   * just taken of, and resolve to true once read (the caller's line must not write before); a
   * failed read is kept and reported by each diff against it, never thrown here. With
   * `failed`, read nothing (false): a failed path's diff reads the checkpoint through a copy.
   */
  async checkpointTaken(checkpoint: string, url: string): Promise<boolean> {
    if (this.paths === 'failed') return false;
    // A failed read is not thrown here: each diff against the checkpoint reports it.
    await this.#remember(checkpoint, captureBaseline(url, this.#limits)).catch(() => undefined);
    return true;
  }

  /**
   * What the database at `url` changed since `checkpoint`, labelled `path`. A checkpoint not
   * read when it was taken is read now through `copy`, once for all the paths from it.
   * Never rejects.
   */
  async pathDone(
    checkpoint: string,
    url: string,
    path: string,
    copy?: CheckpointCopy,
  ): Promise<StateDiff> {
    let baseline = this.#captures.get(checkpoint);
    if (baseline === undefined && copy !== undefined) {
      baseline = this.#remember(checkpoint, captureCopy(copy, this.#limits));
    }
    baseline ??= Promise.reject(
      new DiffBaselineMissingError(checkpoint, [...this.#captures.keys()]),
    );
    return diffAgainst(baseline, url, { from: checkpoint, to: path }, this.#limits);
  }

  /** Keep `capture` as `checkpoint`'s, for every path from it; a failure is logged here. */
  #remember(checkpoint: string, capture: Promise<DatabaseCapture>): Promise<DatabaseCapture> {
    this.#captures.set(checkpoint, capture);
    capture.catch((error: unknown) => {
      debug('capturing checkpoint %s failed: %o', checkpoint, error);
    });
    return capture;
  }

  /** Drop every capture. */
  close(): void {
    this.#captures.clear();
  }
}

/** Read a checkpoint through a copy of it, dropped afterwards (its drop failing only logged). */
async function captureCopy(copy: CheckpointCopy, limits: DiffLimits): Promise<DatabaseCapture> {
  const database = await copy();
  try {
    return await captureBaseline(database.url, limits);
  } finally {
    await database.drop().catch((error: unknown) => {
      debug('dropping the copy of a checkpoint failed: %o', error);
    });
  }
}
