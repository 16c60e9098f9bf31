import type { BranchableDatabase, SlotDatabase } from '../../../src/state/branchable-database.js';
import { type BranchingStateManager } from '../../../src/state/state-manager.js';
import { BaseStateManager, type CheckpointOrder } from '../../../src/state/base-state-manager.js';
import { FakeScope, FakeSlotDatabase, type FakeClone } from './fake-path-database.js';
import { WORKING, tick, type FakeWorld } from './fake-world.js';

const BASELINE = 'fake.baseline';

/**
 * The template-clone backend in memory: a checkpoint copies the working database, a rollback
 * copies a checkpoint back over it in place, clones copy a checkpoint, slot databases take
 * clones by "rename". It records what the runner asked of it, and at disconnect sweeps clones
 * nobody dropped (marked `swept`, so a test sees the runner forgot them).
 */
export class FakeBranchingStateManager extends BaseStateManager implements BranchingStateManager {
  protected override readonly checkpointOrder: CheckpointOrder = 'independent';
  readonly rollbackReach = 'whole-database';
  /** `connect`, `disconnect`, `rollback:<name>`, in order. */
  readonly calls: string[] = [];
  readonly clones: FakeClone[] = [];
  readonly slotDatabases: FakeSlotDatabase[] = [];
  readonly #world: FakeWorld;
  #root: FakeScope | undefined;

  constructor(world: FakeWorld) {
    super();
    this.#world = world;
  }

  get workingDatabase(): BranchableDatabase {
    this.requireConnected('workingDatabase');
    const root = this.#requireRoot();
    return {
      url: this.#world.url(WORKING),
      database: WORKING,
      checkpoint: (name) => this.checkpoint(name),
      prewarm: () => undefined,
      clone: (checkpoint, count) => root.clone(checkpoint, count),
    };
  }

  createSlotDatabase(): SlotDatabase {
    const slot = new FakeSlotDatabase(this.#world);
    this.slotDatabases.push(slot);
    return slot;
  }

  async fork(checkpoint: string, count: number): Promise<string[]> {
    this.requireConnected('fork');
    const clones = await this.#requireRoot().clone(checkpoint, count);
    return clones.map((clone) => clone.url);
  }

  dispose(): Promise<void> {
    for (const clone of this.clones) clone.sweep();
    this.#root?.dispose();
    this.#root = undefined;
    return Promise.resolve();
  }

  /** Clones whose owner neither dropped nor kept them. */
  undroppedClones(): FakeClone[] {
    return this.clones.filter((clone) => clone.fate !== 'dropped' && clone.fate !== 'kept');
  }

  protected override async connectBackend(): Promise<void> {
    await tick();
    this.calls.push('connect');
    this.#root = new FakeScope(this.#world, undefined, (clone) => this.clones.push(clone));
    this.#root.take(BASELINE, WORKING);
  }

  protected override async disconnectBackend(): Promise<void> {
    await tick();
    this.calls.push('disconnect');
    await this.dispose();
  }

  protected override async createCheckpoint(name: string): Promise<void> {
    await tick();
    this.#requireRoot().take(name, WORKING);
  }

  protected override async rollbackToCheckpoint(name: string): Promise<void> {
    await tick();
    this.calls.push(`rollback:${name}`);
    // In place: an API bound to the working database sees the restored content.
    this.#world.databases.set(WORKING, this.#world.copy(this.#requireRoot().resolve(name)));
  }

  protected override releaseCheckpoint(name: string): Promise<void> {
    this.#requireRoot().forget(name);
    return Promise.resolve();
  }

  protected override async resetState(): Promise<void> {
    await this.rollbackToCheckpoint(BASELINE);
  }

  #requireRoot(): FakeScope {
    if (!this.#root) throw new Error('FakeBranchingStateManager is not connected');
    return this.#root;
  }
}
