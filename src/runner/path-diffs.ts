import type { JourneyItem, JourneyNode } from '../journey/journey-nodes.js';
import type { PathResult } from '../result/run-result.js';
import type { StateDiff } from '../result/state-diff.js';
import type { BranchableDatabase } from '../state/branchable-database.js';
import { isBranchingStateManager, type StateManager } from '../state/state-manager.js';
import type { JourneyLine } from './journey-line.js';
import { wantsDiff, type CheckpointCopy, type StateDiffHook } from './state-diff-hook.js';

/**
 * A journey walk's side of `report.diff`: which checkpoints to capture, which database a line
 * writes to, and which paths get a diff. Without a hook every call does nothing.
 */
export class PathDiffs {
  readonly #hook: StateDiffHook | undefined;
  readonly #journey: string;
  readonly #state: StateManager | undefined;
  readonly #log: (line: string) => void;
  /** Checkpoints some branch starts from: only these are captured. */
  readonly #branchedFrom: ReadonlySet<string>;

  constructor(options: {
    hook: StateDiffHook | undefined;
    journey: JourneyNode;
    state: StateManager | undefined;
    log: (line: string) => void;
  }) {
    this.#hook = options.hook;
    this.#journey = options.journey.name;
    this.#state = options.state;
    this.#log = options.log;
    this.#branchedFrom = new Set(branchCheckpoints(options.journey.steps));
  }

  /**
   * The database a line writes to: its own (clone or slot), or in shared mode the working
   * database when the state manager restores whole databases; else none (no diff).
   */
  databaseUrl(line: JourneyLine): string | undefined {
    return this.#database(line)?.url;
  }

  #database(line: JourneyLine): BranchableDatabase | undefined {
    if (line.database) return line.database;
    const state = this.#state;
    return state && isBranchingStateManager(state) ? state.workingDatabase : undefined;
  }

  /** Checkpoint `checkpoint` of the line's database was just taken: capture it for the diffs. */
  async checkpointTaken(checkpoint: string, line: JourneyLine): Promise<void> {
    const hook = this.#hook;
    const url = hook && this.#branchedFrom.has(checkpoint) ? this.databaseUrl(line) : undefined;
    if (hook === undefined || url === undefined) return;
    const began = performance.now();
    if (!(await hook.checkpointTaken(checkpoint, url))) return;
    this.#log(
      `Captured checkpoint ${checkpoint} for state diffs (${Math.round(performance.now() - began)} ms)`,
    );
  }

  /**
   * A path's own steps are done and the line's database still holds what they wrote: attach
   * the path's diff against `checkpoint` when `report.diff` wants one for it.
   */
  async pathDone(result: PathResult, checkpoint: string, line: JourneyLine): Promise<void> {
    const hook = this.#hook;
    const database = this.#database(line);
    if (!hook || database === undefined || !wantsDiff(hook, result)) return;
    result.stateDiff = await hook.pathDone(
      checkpoint,
      database.url,
      this.#label(result.qualifiedName),
      copyOf(database, checkpoint),
    );
  }

  /**
   * A path on an API slot gives its slot up to a nested branch that ends it: its database is
   * about to be replaced under the slot's name, so its diff is taken now. Only with `all`: the
   * path got this far, so none of its own steps failed.
   */
  async beforeFinalBranch(line: JourneyLine, checkpoint: string): Promise<StateDiff | undefined> {
    const hook = this.#hook;
    const url = this.databaseUrl(line);
    if (!hook || hook.paths !== 'all' || url === undefined) return undefined;
    return hook.pathDone(checkpoint, url, this.#label(line.pathNames.join('/')));
  }

  #label(qualifiedName: string): string {
    return `${this.#journey}/${qualifiedName}`;
  }
}

/**
 * A clone of `checkpoint` (taken of `database` or of a line it was forked from), for a hook
 * that reads a checkpoint only when a path from it needs a diff.
 */
function copyOf(database: BranchableDatabase, checkpoint: string): CheckpointCopy {
  return async () => {
    const [clone] = await database.clone(checkpoint, 1);
    if (!clone) throw new Error(`no clone of checkpoint '${checkpoint}' was made`);
    return { url: clone.url, drop: () => clone.drop() };
  };
}

/** The checkpoints the branches of these items (nested ones included) start from. */
function branchCheckpoints(items: readonly JourneyItem[]): string[] {
  return items.flatMap((item) =>
    item.kind === 'branch'
      ? [item.checkpointName, ...item.paths.flatMap((path) => branchCheckpoints(path.steps))]
      : [],
  );
}
