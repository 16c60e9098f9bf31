import type { BranchableDatabase, SlotDatabase } from './branchable-database.js';

/**
 * The protocol every state backend implements (VenomQA's `StateManager`, async): a journey
 * connects once, takes named checkpoints, rolls back to them between branch paths, releases
 * them when done, and resets to a clean state between journeys.
 *
 * @example
 * ```ts
 * const state: StateManager = new PostgreSQLStateManager({ connection_url: url });
 * await state.connect();
 * try {
 *   await state.checkpoint('order_created');
 *   // … a path changes the database …
 *   await state.rollback('order_created');
 * } finally {
 *   await state.disconnect();
 * }
 * ```
 */
export interface StateManager {
  /** Open the connection. Calling it again while connected does nothing. */
  connect(): Promise<void>;
  /** Close the connection and forget every checkpoint. Safe to call more than once. */
  disconnect(): Promise<void>;
  /** Record the current state under `name` (re-using a name replaces that checkpoint). */
  checkpoint(name: string): Promise<void>;
  /** Return to the state recorded under `name`. */
  rollback(name: string): Promise<void>;
  /** Drop the checkpoint `name` (the state stays as it is). */
  release(name: string): Promise<void>;
  /** Return to a clean state and forget every checkpoint. */
  reset(): Promise<void>;
  /** True between a successful `connect()` and `disconnect()`, while the connection is alive. */
  isConnected(): boolean;
  /**
   * What a rollback undoes: `own-connection` for SAVEPOINT backends (only what ran on the
   * manager's connection, so an API with its own pool keeps its writes), `whole-database` for
   * backends that restore the data itself (template clones, Redis). Absent: not stated.
   */
  readonly rollbackReach?: 'own-connection' | 'whole-database';
}

/**
 * A backend that can hand out independent copies of a checkpoint, so the paths of a branch
 * run at the same time (the template-clone backend).
 */
export interface ForkableStateManager extends StateManager {
  /** `n` database URLs, each an independent copy of `checkpoint`. */
  fork(checkpoint: string, n: number): Promise<string[]>;
  /** Drop every copy `fork` made. */
  dispose(): Promise<void>;
}

/**
 * A forkable backend whose working database the runner can checkpoint and fork as a handle,
 * and whose forks can branch again: what parallel paths with their own API instances need.
 */
export interface BranchingStateManager extends ForkableStateManager {
  /** Valid between `connect()` and `disconnect()`. */
  readonly workingDatabase: BranchableDatabase;
  /**
   * A new, empty API slot on this manager's server: its forks can `occupy` it. Without it the
   * runner starts a fresh API per path (`api.reuse: false`).
   */
  createSlotDatabase?(): SlotDatabase;
}

/** True for managers that offer {@link BranchingStateManager.workingDatabase}. */
export function isBranchingStateManager(manager: StateManager): manager is BranchingStateManager {
  return isForkableStateManager(manager) && 'workingDatabase' in manager;
}

/** The methods a value must have to be used as a {@link StateManager}. */
export const STATE_MANAGER_METHODS = [
  'connect',
  'disconnect',
  'checkpoint',
  'rollback',
  'release',
  'reset',
  'isConnected',
] as const satisfies readonly (keyof StateManager)[];

/** The {@link STATE_MANAGER_METHODS} that `value` lacks (all of them for a non-object). */
export function missingStateManagerMethods(value: unknown): string[] {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    return [...STATE_MANAGER_METHODS];
  }
  const record = value as Record<string, unknown>;
  return STATE_MANAGER_METHODS.filter((method) => typeof record[method] !== 'function');
}

/** True when `value` has every method of the protocol. */
export function isStateManager(value: unknown): value is StateManager {
  return missingStateManagerMethods(value).length === 0;
}

/** True when `manager` can also `fork()` and `dispose()`. */
export function isForkableStateManager(manager: StateManager): manager is ForkableStateManager {
  const record = manager as unknown as Record<string, unknown>;
  return typeof record.fork === 'function' && typeof record.dispose === 'function';
}
