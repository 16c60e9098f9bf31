import type { SnapshotEngine } from '../snapshot/snapshot-engine.js';
import type { Clone } from '../snapshot/snapshot-types.js';
import { WarmPool } from '../snapshot/warm-pool.js';
import type { PathDatabase } from './branchable-database.js';
import { CheckpointNotFoundError } from './state-errors.js';

/** Wraps a clone made from a scope into the handle a path gets (and tracks it for dispose). */
export type RegisterFork = (clone: Clone, scope: CheckpointScope) => PathDatabase;

/**
 * Resolves checkpoint names to snapshot names along a chain of databases (a fork sees the
 * checkpoints of the databases it came from) and forks them, taking clones made ahead by
 * `prewarm` when there are any.
 */
export class CheckpointScope {
  readonly #engine: SnapshotEngine;
  readonly #parent: CheckpointScope | undefined;
  /** Checkpoint name → snapshot name in the engine's catalog. */
  readonly #snapshots = new Map<string, string>();
  /** Snapshot name → clones being made ahead of forks. */
  readonly #prewarmed = new Map<string, WarmPool<Clone>>();
  readonly #register: RegisterFork;

  constructor(engine: SnapshotEngine, parent: CheckpointScope | undefined, register: RegisterFork) {
    this.#engine = engine;
    this.#parent = parent;
    this.#register = register;
  }

  get engine(): SnapshotEngine {
    return this.#engine;
  }

  /** A scope whose checkpoints resolve here when not its own (a fork's). */
  child(): CheckpointScope {
    return new CheckpointScope(this.#engine, this, this.#register);
  }

  /** Record that checkpoint `name` is stored as snapshot `snapshot` (replacing an older one). */
  remember(name: string, snapshot: string): void {
    this.#discardPrewarmed(snapshot);
    this.#snapshots.set(name, snapshot);
  }

  /** Forget checkpoint `name` (its snapshot was dropped by the owner). */
  forget(name: string): void {
    const snapshot = this.#snapshots.get(name);
    if (snapshot !== undefined) this.#discardPrewarmed(snapshot);
    this.#snapshots.delete(name);
  }

  /** The snapshot holding checkpoint `name`, here or up the chain. */
  resolve(name: string): string {
    const own = this.#snapshots.get(name);
    if (own !== undefined) return own;
    if (this.#parent) return this.#parent.resolve(name);
    throw new CheckpointNotFoundError(name, [...this.#snapshots.keys()]);
  }

  /**
   * Make `count` clones of `checkpoint` ahead of forks, at most `window` of them waiting at a
   * time: each fork that takes one starts the next, so clones are made as fast as paths use
   * them without flooding the server (every CREATE DATABASE … FILE_COPY checkpoints it).
   */
  prewarm(checkpoint: string, count: number, window = count): void {
    if (count <= 0) return;
    const snapshot = this.resolve(checkpoint);
    const existing = this.#prewarmed.get(snapshot);
    if (existing) {
      existing.extend(count);
      return;
    }
    const engine = this.#engine;
    const pool = new WarmPool<Clone>(
      async () => {
        const [clone] = await engine.clone(snapshot, 1);
        if (!clone) throw new Error(`no clone of ${snapshot} was made`);
        return clone;
      },
      Math.max(1, window),
      { total: count },
    );
    this.#prewarmed.set(snapshot, pool);
  }

  /**
   * `count` clones of `checkpoint`, taking prewarmed ones first and making the rest. All or
   * nothing: when one cannot be made, those already taken are dropped.
   */
  async clone(checkpoint: string, count: number): Promise<PathDatabase[]> {
    const snapshot = this.resolve(checkpoint);
    const pool = this.#prewarmed.get(snapshot);
    const waiting: Promise<Clone | undefined>[] = [];
    for (let i = 0; i < count; i++) {
      const next = pool?.tryAcquire();
      if (!next) break;
      // A failed clone made ahead is made again below, on the caller's clock.
      waiting.push(next.catch(() => undefined));
    }
    const taken = (await Promise.all(waiting)).filter((c): c is Clone => c !== undefined);
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
    const pools = [...this.#prewarmed.values()];
    this.#prewarmed.clear();
    await Promise.allSettled(pools.map((pool) => pool.dispose()));
    const snapshots = [...this.#snapshots.values()];
    this.#snapshots.clear();
    await Promise.allSettled(snapshots.map((snapshot) => this.#engine.drop(snapshot)));
  }

  /** Clones made ahead of a snapshot that is being replaced hold its old state: drop them. */
  #discardPrewarmed(snapshot: string): void {
    const pool = this.#prewarmed.get(snapshot);
    if (!pool) return;
    this.#prewarmed.delete(snapshot);
    void pool.dispose();
  }
}
