import type { TargetInstance } from '../api/target.js';
import type { HttpClient } from '../http/http-client.js';
import type { JourneyContext } from '../journey/journey-context.js';
import type { StateDiff } from '../result/state-diff.js';
import type { BranchableDatabase, PathDatabase } from '../state/branchable-database.js';
import type { Slot } from './api-slots.js';

/**
 * One line of a journey (the main line or a path): where its requests go, its context, and
 * what it can checkpoint. Mutable: a line on an API slot gives the slot up while its branch's
 * paths run and may come back on another one (another API, another database handle).
 */
export interface JourneyLine {
  client: HttpClient;
  ctx: JourneyContext;
  instance: TargetInstance;
  /** Per-path and slot modes: the database this line writes to. Shared mode: none. */
  database: BranchableDatabase | undefined;
  /** Path names from the root, for qualified names. */
  readonly pathNames: readonly string[];
  /** Slot mode: the slot the line's requests go to now; undefined while it has given it up. */
  slot?: Slot | undefined;
  /** Slot mode: clones the line took (its first, and one per return after a branch). */
  readonly clones: PathDatabase[];
  /** A path: the checkpoint it started from, which its state diff compares with. */
  readonly startedFrom?: string;
  /** Slot mode: the path's state diff, taken before it gave its slot up to a final branch. */
  stateDiff?: StateDiff | undefined;
}
