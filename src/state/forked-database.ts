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
  /** Snapshot name → clones made ahead of forks (each undefined if making it failed). */
  readonly #prewarmed = new Map<string, Prewarmed>();
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

  /** Clones made ahead of a snapshot that is being replaced hold its old state: drop them. */
  #discardPrewarmed(snapshot: string): void {
    const prewarmed = this.#prewarmed.get(snapshot);
    if (!prewarmed) return;
    this.#prewarmed.delete(snapshot);
    for (const pending of prewarmed.ready) {
      void pending.then((clone) => clone?.drop()).catch(() => undefined);
    }
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
    const snapshot = this.resolve(checkpoint);
    const prewarmed = this.#prewarmed.get(snapshot) ?? { ready: [], remaining: 0 };
    this.#prewarmed.set(snapshot, prewarmed);
    prewarmed.remaining += count;
    while (prewarmed.ready.length < window && prewarmed.remaining > 0) {
      this.#makeAhead(snapshot, prewarmed);
    }
  }

  /**
   * `count` clones of `checkpoint`, taking prewarmed ones first (oldest first) and making the
   * rest. All or nothing: when one cannot be made, those already taken are dropped.
   */
  async fork(checkpoint: string, count: number): Promise<ForkedDatabase[]> {
    const snapshot = this.resolve(checkpoint);
    const prewarmed = this.#prewarmed.get(snapshot);
    const waiting = prewarmed?.ready.splice(0, count) ?? [];
    for (let i = 0; prewarmed && i < waiting.length && prewarmed.remaining > 0; i++) {
      this.#makeAhead(snapshot, prewarmed);
    }
    const taken = (await Promise.all(waiting)).filter(
      (clone): clone is Clone => clone !== undefined,
    );
    let made: Clone[] = [];
    try {
      if (taken.length < count) made = await this.#engine.clone(snapshot, count - taken.length);
    } catch (error) {
      await Promise.allSettled(taken.map((clone) => clone.drop()));
      throw error;
    }
    return [...taken, ...made].map((clone) => this.#register(clone, this));
  }

  #makeAhead(snapshot: string, prewarmed: Prewarmed): void {
    prewarmed.remaining -= 1;
    // A failure shows at fork time, which then makes a clone of its own.
    prewarmed.ready.push(
      this.#engine.clone(snapshot, 1).then(
        ([clone]) => clone,
        () => undefined,
      ),
    );
  }

  /** Drop this scope's snapshots and any clones still waiting for a fork. */
  async dispose(): Promise<void> {
    const waiting = [...this.#prewarmed.values()].flatMap((prewarmed) => prewarmed.ready);
    this.#prewarmed.clear();
    const clones = await Promise.all(waiting);
    await Promise.allSettled(clones.flatMap((clone) => (clone ? [clone.drop()] : [])));
    const snapshots = [...this.#snapshots.values()];
    this.#snapshots.clear();
    await Promise.allSettled(snapshots.map((snapshot) => this.#engine.drop(snapshot)));
  }
}

interface Prewarmed {
  /** Clones being made or made, oldest first. */
  ready: Promise<Clone | undefined>[];
  /** How many more to make as forks take them. */
  remaining: number;
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

  prewarm(checkpoint: string, count: number, window?: number): void {
    this.#scope.prewarm(checkpoint, count, window);
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
