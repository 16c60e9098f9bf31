/**
 * A database the runner can checkpoint and fork: the working database of a journey, or a path's
 * clone (which can branch again: nested branches). Only backends that copy whole databases
 * (template clones) offer it; see {@link BranchingStateManager}.
 */
export interface BranchableDatabase {
  /** Connection URL of this database (it carries the password: never print it unredacted). */
  readonly url: string;
  /** Its physical name on the server. */
  readonly database: string;
  /** Snapshot this database as `name`. Its sessions are ended first; clients reconnect. */
  checkpoint(name: string): Promise<void>;
  /**
   * Start making `count` clones of `checkpoint` in the background, so later clones of it find
   * them ready: a warm pool that keeps at most `window` (default all) waiting and refills as
   * forks take them, until `count` have been made.
   */
  prewarm(checkpoint: string, count: number, window?: number): void;
  /**
   * `count` new databases holding `checkpoint`'s state: a checkpoint of this database or of one
   * it was forked from. All or nothing: on failure no clone is left.
   */
  clone(checkpoint: string, count: number): Promise<PathDatabase[]>;
}

/**
 * A database name a long-lived API stays connected to (an API slot) while the states of one
 * path after another are swapped in under it. Made by {@link BranchingStateManager}'s
 * `createSlotDatabase`; its first occupant's name becomes the slot's.
 */
export interface SlotDatabase {
  /** Undefined until the first clone occupies the slot. */
  readonly database: string | undefined;
  /** Connection URL of the slot's database once occupied (carries the password). */
  readonly url: string | undefined;
  /** Drop whatever the slot holds now. Idempotent. */
  drop(): Promise<void>;
}

/** What moving a clone in under a slot's name cost. */
export interface OccupyResult {
  /** How long the slot's database refused connections (0 when nothing was there yet). */
  unavailableMs: number;
}

/** A clone handed to one path. Drop it when the path is done, or keep it to look inside. */
export interface PathDatabase extends BranchableDatabase {
  /**
   * Move this clone's content in under `slot`'s name, which a long-lived API stays connected
   * to: swapped in by rename (the API's sessions are ended; its pool reconnects to the new
   * content), the slot's previous content dropped. The first occupant gives the slot its name.
   * Afterwards `url` and `database` are the slot's, and `drop()` leaves the database to the
   * slot's next occupant.
   */
  occupy(slot: SlotDatabase): Promise<OccupyResult>;
  /** Drop the clone (unless it occupies a slot) and every checkpoint taken of it. Idempotent. */
  drop(): Promise<void>;
  /**
   * Keep the clone after the run (`keep_failed`): its checkpoints are dropped, the clone itself
   * stays (owned by this run, so `venomqa prune` removes it once the run has ended). A clone
   * occupying a slot is moved out from under the slot's name first. `path` (`journey/path`) is
   * recorded with it, so `venomqa db psql --path` finds it. Returns the kept database's name.
   */
  keep(path?: string): Promise<string>;
}
