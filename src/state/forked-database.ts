import { randomBytes } from 'node:crypto';
import type { Clone, SnapshotEngine } from '../snapshot/snapshot-engine.js';
import type { ForkedDatabase } from './branchable-database.js';
import { CheckpointNotFoundError } from './state-errors.js';

/**
 * Resolves checkpoint names to snapshot names along a chain of databases (a fork sees the
 * checkpoints of the databases it came from) and forks them, using clones prepared by
 * `prewarm` when there are any.
 */
export class CheckpointScope {
  readonly #engine: SnapshotEngine;
  readonly #parent: CheckpointScope | undefined;
  /** Checkpoint name → snapshot name in the engine's catalog. */
  readonly #snapshots = new Map<string, string>();
  /** Snapshot name → clones being made ahead of a fork. */
  readonly #prewarmed = new Map<string, Promise<Clone[]>>();
  /** Hands out ForkedDatabases and tracks them for the owner's dispose. */
  readonly #register: (clone: Clone, scope: CheckpointScope) => ForkedDatabase;

  constructor(
    engine: SnapshotEngine,
    parent: CheckpointScope | undefined,
    register: (clone: Clone, scope: CheckpointScope) => ForkedDatabase,
  ) {
    this.#engine = engine;
    this.#parent = parent;
    this.#register = register;
  }

  get engine(): SnapshotEngine {
    return this.#engine;
  }

  /** Record that checkpoint `name` is stored as snapshot `snapshot`. */
  remember(name: string, snapshot: string): void {
    this.#snapshots.set(name, snapshot);
  }

  /** Forget checkpoint `name` (its snapshot was dropped by the owner). */
  forget(name: string): void {
    this.#snapshots.delete(name);
  }

  /** The snapshot holding checkpoint `name`, here or up the chain. */
  resolve(name: string): string {
    const own = this.#snapshots.get(name);
    if (own !== undefined) return own;
    if (this.#parent) return this.#parent.resolve(name);
    throw new CheckpointNotFoundError(name, [...this.#snapshots.keys()]);
  }

  prewarm(checkpoint: string, count: number): void {
    const snapshot = this.resolve(checkpoint);
    if (count < 1 || this.#prewarmed.has(snapshot)) return;
    const clones = this.#engine.clone(snapshot, count);
    // A failure surfaces at fork time, which makes its own clones instead.
    clones.catch(() => undefined);
    this.#prewarmed.set(snapshot, clones);
  }

  async fork(checkpoint: string, count: number): Promise<ForkedDatabase[]> {
    const snapshot = this.resolve(checkpoint);
    const ready = await this.#takePrewarmed(snapshot);
    const taken = ready.splice(0, count);
    await Promise.allSettled(ready.map((clone) => clone.drop()));
    let made: Clone[] = [];
    try {
      if (taken.length < count) made = await this.#engine.clone(snapshot, count - taken.length);
    } catch (error) {
      await Promise.allSettled(taken.map((clone) => clone.drop()));
      throw error;
    }
    return [...taken, ...made].map((clone) => this.#register(clone, this));
  }

  /** Drop this scope's snapshots and any clones still waiting for a fork. */
  async dispose(): Promise<void> {
    for (const snapshot of [...this.#prewarmed.keys()]) {
      const clones = await this.#takePrewarmed(snapshot);
      await Promise.allSettled(clones.map((clone) => clone.drop()));
    }
    const snapshots = [...this.#snapshots.values()];
    this.#snapshots.clear();
    await Promise.allSettled(snapshots.map((snapshot) => this.#engine.drop(snapshot)));
  }

  async #takePrewarmed(snapshot: string): Promise<Clone[]> {
    const pending = this.#prewarmed.get(snapshot);
    if (!pending) return [];
    this.#prewarmed.delete(snapshot);
    return pending.catch(() => []);
  }
}

/**
 * One path's clone. Its checkpoints are snapshots named `<fork key>.<checkpoint>` in the run's
 * scope, so two parallel paths may both hold a checkpoint of the same name.
 */
export class ClonedDatabase implements ForkedDatabase {
  readonly url: string;
  readonly database: string;
  readonly #clone: Clone;
  readonly #scope: CheckpointScope;
  readonly #key = `f${randomBytes(5).toString('hex')}`;
  readonly #untrack: () => void;
  #released: Promise<void> | undefined;

  constructor(
    clone: Clone,
    parentScope: CheckpointScope,
    register: (clone: Clone, scope: CheckpointScope) => ForkedDatabase,
    untrack: () => void,
  ) {
    this.#clone = clone;
    this.url = clone.url;
    this.database = clone.database;
    this.#scope = new CheckpointScope(parentScope.engine, parentScope, register);
    this.#untrack = untrack;
  }

  async checkpoint(name: string): Promise<void> {
    const snapshot = `${this.#key}.${name}`;
    await this.#scope.engine.snapshot(this.database, snapshot, { scope: 'run' });
    this.#scope.remember(name, snapshot);
  }

  prewarm(checkpoint: string, count: number): void {
    this.#scope.prewarm(checkpoint, count);
  }

  fork(checkpoint: string, count: number): Promise<ForkedDatabase[]> {
    return this.#scope.fork(checkpoint, count);
  }

  drop(): Promise<void> {
    this.#released ??= (async () => {
      this.#untrack();
      try {
        await this.#scope.dispose();
      } finally {
        await this.#clone.drop();
      }
    })();
    return this.#released;
  }

  keep(): Promise<void> {
    this.#released ??= (async () => {
      this.#untrack();
      await this.#scope.dispose();
    })();
    return this.#released;
  }
}
