import type { CloneStrategy } from './clone-strategy.js';
import type { ConnectionGate } from '../server/connection-gate.js';
import type { DatabaseKind } from './snapshot-names.js';

export interface SnapshotEngineOptions {
  /**
   * Admin URL on the maintenance database (`postgres`, or `template1` when the working database
   * is `postgres`: see `adminUrlFor`); the engine connects nowhere else.
   */
  adminUrl: string;
  /** The database a restore may replace although venomqa did not create it. */
  workingDatabase?: string | undefined;
  /** True only when both the config and a flag allow a non-loopback server. */
  allowRemote?: boolean;
  strategy?: CloneStrategy;
  /** How many databases are created at once by `clone` and warm pools. */
  maxConcurrentCreates?: number;
  /** How long to wait for sessions to end before `DatabaseInUseError`. */
  sessionDrainTimeoutMs?: number;
  /**
   * A pooler in front of the databases the engine swaps (`restore`, `swapIn`, `moveAway`):
   * their new queries are held back during the window instead of refused. See
   * `startPgBouncer`.
   */
  connectionGate?: ConnectionGate;
  runId?: string;
}

/** A snapshot as `list()` shows it. */
export interface SnapshotListing {
  name: string | null;
  physical: string;
  kind: DatabaseKind;
  source: string | null;
  parent: string | null;
  sizeBytes: number;
  createdAt: string | null;
  runId: string | null;
  pid: number | null;
  /** A clone kept for a failed path: its `journey/path`. */
  path?: string;
}

/** A database copied from a snapshot, handed to one path. */
export interface Clone extends AsyncDisposable {
  readonly database: string;
  readonly url: string;
  drop(): Promise<void>;
}

export interface RestoreResult {
  /** How long the target refused connections (the window an API under test feels). */
  unavailableMs: number;
}

export interface PruneOptions {
  /** Only databases older than this many milliseconds. */
  olderThanMs?: number;
  /** Only databases whose run no longer lives (default true). */
  deadRunsOnly?: boolean;
  dryRun?: boolean;
}

export interface PruneResult {
  dropped: string[];
  kept: string[];
  /** User databases a killed run had locked out, accepting connections again. */
  reopened: string[];
}

/** A snapshot found by its human name. */
export interface SnapshotRef {
  name: string;
  physical: string;
}
