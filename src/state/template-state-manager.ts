import { parsePostgresUrl } from '../server/postgres-url.js';
import { adminUrlFor } from '../snapshot/maintenance-database.js';
import type { Clone } from '../snapshot/snapshot-engine.js';
import { SnapshotEngine } from '../snapshot/snapshot-engine.js';
import { DatabaseNotFoundError, SnapshotExistsError } from '../snapshot/snapshot-errors.js';
import { databaseMissing } from '../server/connection-failure.js';
import type { BranchableDatabase, PathDatabase, SlotDatabase } from './branchable-database.js';
import { TemplateSlotDatabase } from './slot-database.js';
import { CheckpointScope } from './checkpoint-scope.js';
import { ClonedDatabase } from './cloned-database.js';
import { type BranchingStateManager } from './state-manager.js';
import {
  BaseStateManager,
  type CheckpointOrder,
  type StateManagerOptions,
} from './base-state-manager.js';

export interface TemplateStateManagerOptions extends StateManagerOptions {
  /** The working database the API under test uses; checkpoints are copies of it. */
  connection_url: string;
  /** Allow a non-loopback server (`safety.allow_remote` in the config). */
  allow_remote?: boolean;
}

/** The baseline taken at `connect()`, to which `reset()` returns. */
// '.' cannot appear in a checkpoint name, so no user checkpoint can collide with it.
const BASELINE = 'venomqa.baseline';

/**
 * The default PostgreSQL backend: the protocol on template clones. A checkpoint is a
 * `CREATE DATABASE … TEMPLATE` copy of the working database, owned by this run; `rollback`
 * restores the working database from any checkpoint, in any order, and the API under test sees
 * the result, because the data is really committed. `fork(checkpoint, n)` gives n independent
 * databases for parallel paths; `workingDatabase.fork` gives them as handles that can
 * checkpoint and fork again (nested branches), be dropped one by one, or be kept.
 *
 * @example
 * const state = new TemplateStateManager({ connection_url: process.env.DATABASE_URL! });
 * await state.connect();
 * await state.checkpoint('order_created');
 * const [urlA, urlB] = await state.fork('order_created', 2);
 * await state.rollback('order_created');
 * await state.dispose();
 */
export class TemplateStateManager extends BaseStateManager implements BranchingStateManager {
  protected override readonly checkpointOrder: CheckpointOrder = 'independent';
  /** Checkpoints are copies of the whole database: whoever wrote, a rollback undoes it. */
  readonly rollbackReach = 'whole-database';
  readonly #url: string;
  readonly #database: string;
  readonly #allowRemote: boolean;
  #engine: SnapshotEngine | undefined;
  #root: CheckpointScope | undefined;
  /** Forks handed out and not yet dropped or kept; dispose drops them. */
  readonly #forks = new Set<PathDatabase>();

  constructor(options: TemplateStateManagerOptions | string) {
    const resolved = typeof options === 'string' ? { connection_url: options } : options;
    super(resolved);
    this.#url = resolved.connection_url;
    this.#database = parsePostgresUrl(resolved.connection_url).database;
    this.#allowRemote = resolved.allow_remote ?? false;
  }

  /** The working database as a handle the runner checkpoints and forks. */
  get workingDatabase(): BranchableDatabase {
    this.requireConnected('workingDatabase');
    return {
      url: this.#url,
      database: this.#database,
      checkpoint: (name) => this.checkpoint(name),
      prewarm: (checkpoint, count, window) =>
        this.#requireRoot().prewarm(checkpoint, count, window),
      clone: (checkpoint, count) => this.#requireRoot().clone(checkpoint, count),
    };
  }

  protected override async connectBackend(): Promise<void> {
    const engine = await SnapshotEngine.open({
      // Never the working database itself: the engine's sessions would block copying it.
      adminUrl: adminUrlFor(this.#url, this.#database),
      workingDatabase: this.#database,
      allowRemote: this.#allowRemote,
    });
    this.#engine = engine;
    this.#root = new CheckpointScope(engine, undefined, (clone, scope) =>
      this.#track(clone, scope),
    );
    try {
      await this.#take(BASELINE);
    } catch (error) {
      // connect() failed, so disconnect() will not run: close what was opened here.
      await this.dispose();
      // The working database of connection_url is missing: the environment, not a usage error.
      if (error instanceof DatabaseNotFoundError) {
        throw databaseMissing(
          { url: this.#url, kind: 'postgres', purpose: 'TemplateStateManager.connect()' },
          error,
        );
      }
      throw error;
    }
  }

  protected override async disconnectBackend(): Promise<void> {
    await this.dispose();
  }

  protected override async createCheckpoint(name: string): Promise<void> {
    await this.#take(name);
  }

  protected override async rollbackToCheckpoint(name: string): Promise<void> {
    await this.#require().restore(this.#database, name);
  }

  protected override async releaseCheckpoint(name: string): Promise<void> {
    await this.#require().drop(name);
    this.#requireRoot().forget(name);
  }

  protected override async resetState(): Promise<void> {
    await this.#require().restore(this.#database, BASELINE);
  }

  /** An API slot on this server, for the runner's `api.reuse` (see {@link SlotDatabase}). */
  createSlotDatabase(): SlotDatabase {
    return new TemplateSlotDatabase(this.#require());
  }

  /** `count` new databases holding the checkpoint's state; their URLs, one per path. */
  async fork(checkpoint: string, count: number): Promise<string[]> {
    this.requireConnected('fork');
    const forks = await this.#requireRoot().clone(checkpoint, count);
    return forks.map((f) => f.url);
  }

  /** Drop every clone and checkpoint this manager made (kept forks stay), and close the engine. Idempotent. */
  async dispose(): Promise<void> {
    const engine = this.#engine;
    const root = this.#root;
    if (!engine) return;
    this.#engine = undefined;
    this.#root = undefined;
    try {
      await Promise.allSettled([...this.#forks].map((f) => f.drop()));
      await root?.dispose();
    } finally {
      await engine.close();
    }
  }

  #track(clone: Clone, scope: CheckpointScope): PathDatabase {
    const fork: PathDatabase = new ClonedDatabase(clone, scope, () => this.#forks.delete(fork));
    this.#forks.add(fork);
    return fork;
  }

  async #take(name: string): Promise<void> {
    const engine = this.#require();
    try {
      await engine.snapshot(this.#database, name, { scope: 'run' });
    } catch (error) {
      // Re-using a checkpoint name replaces it, as with SAVEPOINTs.
      if (!(error instanceof SnapshotExistsError)) throw error;
      await engine.drop(name);
      await engine.snapshot(this.#database, name, { scope: 'run' });
    }
    this.#requireRoot().remember(name, name);
  }

  #require(): SnapshotEngine {
    if (!this.#engine) throw new Error('TemplateStateManager is not connected');
    return this.#engine;
  }

  #requireRoot(): CheckpointScope {
    if (!this.#root) throw new Error('TemplateStateManager is not connected');
    return this.#root;
  }
}
