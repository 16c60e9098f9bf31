import type { SnapshotEngine } from '../snapshot/snapshot-engine.js';
import type { Clone } from '../snapshot/snapshot-types.js';
import type { OccupyResult, SlotDatabase } from './branchable-database.js';

/**
 * The template-clone backend's {@link SlotDatabase}: a run-owned database name (the first
 * occupant's, so `venomqa prune` finds it after a crash) under which clones are swapped in by
 * rename. The engine may differ from the clones' (one per journey) as long as both talk to the
 * same server.
 */
export class TemplateSlotDatabase implements SlotDatabase {
  readonly #engine: SnapshotEngine;
  readonly #urlFor: (database: string) => string;
  #name: string | undefined;
  /** Whoever moved in last: only they may move the content out again. */
  #occupant: object | undefined;
  #dropped: Promise<void> | undefined;

  /**
   * `urlFor` gives the URL an API reaches the slot's database at: through a connection gate
   * (a pooler the engine pauses during swaps) when there is one; default the engine's own.
   */
  constructor(engine: SnapshotEngine, urlFor?: (database: string) => string) {
    this.#engine = engine;
    this.#urlFor = urlFor ?? ((database) => engine.urlFor(database));
  }

  get database(): string | undefined {
    return this.#name;
  }

  get url(): string | undefined {
    return this.#name === undefined ? undefined : this.#urlFor(this.#name);
  }

  /**
   * Put `clone` under the slot's name for `occupant`; the clone's handle must not be used
   * afterwards.
   */
  async take(clone: Clone, occupant: object): Promise<OccupyResult> {
    if (this.#dropped) throw new Error('the slot database was dropped');
    let result: OccupyResult = { unavailableMs: 0 };
    if (this.#name === undefined) this.#name = clone.database;
    else result = await this.#engine.swapIn(this.#name, clone);
    this.#occupant = occupant;
    return result;
  }

  /** True while `occupant`'s content is what the slot holds. */
  holds(occupant: object): boolean {
    return this.#occupant === occupant;
  }

  /**
   * Move `occupant`'s content out under a new name (kept for a failed path); the slot keeps its
   * name and its next occupant is renamed into it.
   */
  async moveOut(occupant: object): Promise<Clone> {
    if (this.#name === undefined || this.#occupant !== occupant) {
      throw new Error('the slot no longer holds this content: a later path replaced it');
    }
    const moved = await this.#engine.moveAway(this.#name);
    this.#occupant = undefined;
    return moved;
  }

  drop(): Promise<void> {
    this.#dropped ??= (async () => {
      if (this.#name === undefined) return;
      await this.#engine.dropRunOwned(this.#name);
    })();
    return this.#dropped;
  }
}
