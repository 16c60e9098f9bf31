import type {
  OccupyResult,
  PathDatabase,
  SlotDatabase,
} from '../../../src/state/branchable-database.js';
import { CheckpointNotFoundError } from '../../../src/state/state-errors.js';
import { tick, type FakeWorld } from './fake-world.js';

/**
 * Checkpoint names → snapshot databases along a chain (a clone sees the checkpoints of the
 * databases it came from), as the template backend's CheckpointScope resolves them.
 */
export class FakeScope {
  readonly #world: FakeWorld;
  readonly #parent: FakeScope | undefined;
  readonly #snapshots = new Map<string, string>();
  readonly #onClone: (clone: FakeClone) => void;

  constructor(
    world: FakeWorld,
    parent: FakeScope | undefined,
    onClone: (clone: FakeClone) => void,
  ) {
    this.#world = world;
    this.#parent = parent;
    this.#onClone = onClone;
  }

  child(): FakeScope {
    return new FakeScope(this.#world, this, this.#onClone);
  }

  /** Snapshot database `source` as checkpoint `name` (replacing an older one of that name). */
  take(name: string, source: string): void {
    const snapshot = this.#world.newName('snap');
    this.#world.databases.set(snapshot, this.#world.copy(source));
    this.forget(name);
    this.#snapshots.set(name, snapshot);
  }

  forget(name: string): void {
    const snapshot = this.#snapshots.get(name);
    if (snapshot === undefined) return;
    this.#snapshots.delete(name);
    this.#world.drop(snapshot);
  }

  resolve(name: string): string {
    const own = this.#snapshots.get(name);
    if (own !== undefined) return own;
    if (this.#parent) return this.#parent.resolve(name);
    throw new CheckpointNotFoundError(name, [...this.#snapshots.keys()]);
  }

  async clone(checkpoint: string, count: number): Promise<PathDatabase[]> {
    await tick();
    const snapshot = this.resolve(checkpoint);
    return Array.from({ length: count }, () => {
      const name = this.#world.newName('clone');
      this.#world.databases.set(name, this.#world.copy(snapshot));
      const clone = new FakeClone(this.#world, name, this.child());
      this.#onClone(clone);
      return clone;
    });
  }

  dispose(): void {
    for (const name of [...this.#snapshots.keys()]) this.forget(name);
  }
}

/** What became of a clone: its owner dropped or kept it, or the manager swept it at the end. */
export type CloneFate = 'live' | 'dropped' | 'kept' | 'swept';

/**
 * One path's clone. `occupy` moves its content in under a slot's name as the real rename swap
 * does (the slot's previous content is gone, the clone's own name is free again); afterwards
 * its `url` is the slot's and `drop` leaves the content to the slot.
 */
export class FakeClone implements PathDatabase {
  /** Its own physical name, or the name it was kept under. */
  name: string;
  fate: CloneFate = 'live';
  readonly #world: FakeWorld;
  readonly #scope: FakeScope;
  #slot: FakeSlotDatabase | undefined;

  constructor(world: FakeWorld, name: string, scope: FakeScope) {
    this.#world = world;
    this.name = name;
    this.#scope = scope;
  }

  get database(): string {
    return this.#slot?.database ?? this.name;
  }

  get url(): string {
    return this.#world.url(this.database);
  }

  async checkpoint(name: string): Promise<void> {
    await tick();
    this.#scope.take(name, this.database);
  }

  /** Clones are made on demand here; making them ahead changes nothing a path can see. */
  prewarm(): void {}

  clone(checkpoint: string, count: number): Promise<PathDatabase[]> {
    return this.#scope.clone(checkpoint, count);
  }

  async occupy(slot: SlotDatabase): Promise<OccupyResult> {
    await tick();
    if (!(slot instanceof FakeSlotDatabase)) throw new TypeError('not a fake slot database');
    if (this.#slot) throw new Error(`${this.name} occupies ${this.database} already`);
    const result = slot.take(this, this.name);
    this.#slot = slot;
    return result;
  }

  drop(): Promise<void> {
    this.#release('dropped');
    return Promise.resolve();
  }

  keep(): Promise<string> {
    if (this.#release('kept') && this.#slot) {
      // Out from under the slot's name, so the slot's next path cannot replace it.
      this.name = this.#slot.moveOut(this);
      this.#slot = undefined;
    }
    this.#world.kept.add(this.name);
    return Promise.resolve(this.name);
  }

  /** Drop what is the clone's own; false when it was dropped or kept before. */
  #release(fate: CloneFate): boolean {
    if (this.fate !== 'live') return false;
    this.fate = fate;
    this.#scope.dispose();
    if (fate !== 'kept' && !this.#slot) this.#world.drop(this.name);
    return true;
  }

  /** The manager's end-of-run sweep of a clone its owner forgot. */
  sweep(): void {
    this.#release('swept');
  }
}

/** A name a long-lived API stays connected to while clone after clone is moved in under it. */
export class FakeSlotDatabase implements SlotDatabase {
  readonly #world: FakeWorld;
  #name: string | undefined;
  #occupant: FakeClone | undefined;
  #dropped = false;
  /** How many times a clone replaced what the slot held. */
  swaps = 0;

  constructor(world: FakeWorld) {
    this.#world = world;
  }

  get database(): string | undefined {
    return this.#name;
  }

  get url(): string | undefined {
    return this.#name === undefined ? undefined : this.#world.url(this.#name);
  }

  /** The first occupant gives the slot its name; later ones replace its content. */
  take(occupant: FakeClone, cloneName: string): OccupyResult {
    if (this.#dropped) throw new Error('the slot database was dropped');
    this.#occupant = occupant;
    if (this.#name === undefined) {
      this.#name = cloneName;
      return { unavailableMs: 0 };
    }
    this.#world.databases.set(this.#name, this.#world.require(cloneName));
    this.#world.drop(cloneName);
    this.swaps += 1;
    return { unavailableMs: 1 };
  }

  /** Move the occupant's content out under a new name; the slot keeps its (now empty) name. */
  moveOut(occupant: FakeClone): string {
    if (this.#name === undefined || this.#occupant !== occupant) {
      throw new Error('the slot no longer holds this content: a later path replaced it');
    }
    const moved = this.#world.newName('kept');
    this.#world.databases.set(moved, this.#world.require(this.#name));
    this.#world.drop(this.#name);
    this.#occupant = undefined;
    return moved;
  }

  drop(): Promise<void> {
    this.#dropped = true;
    if (this.#name !== undefined) this.#world.databases.delete(this.#name);
    return Promise.resolve();
  }
}
