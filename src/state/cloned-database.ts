import { randomBytes } from 'node:crypto';
import type { Clone } from '../snapshot/snapshot-types.js';
import type { ForkedDatabase, OccupyResult } from './branchable-database.js';
import type { CheckpointScope } from './checkpoint-scope.js';

/**
 * One path's clone. Its checkpoints are snapshots named `<fork key>.<checkpoint>` in the run's
 * scope, so two parallel paths may both hold a checkpoint of the same name. Once it occupies a
 * slot (a database name an API stays connected to), its content lives under the slot's name
 * and belongs to the slot: `drop()` then drops only the checkpoints.
 */
export class ClonedDatabase implements ForkedDatabase {
  #clone: Clone;
  /** The slot's name once this clone's content moved in under it. */
  #slot: string | undefined;
  readonly #scope: CheckpointScope;
  readonly #key = `f${randomBytes(5).toString('hex')}`;
  readonly #untrack: () => void;
  #released: Promise<unknown> | undefined;

  constructor(clone: Clone, parentScope: CheckpointScope, untrack: () => void) {
    this.#clone = clone;
    this.#scope = parentScope.child();
    this.#untrack = untrack;
  }

  get url(): string {
    return this.#slot === undefined ? this.#clone.url : this.#scope.engine.urlFor(this.#slot);
  }

  get database(): string {
    return this.#slot ?? this.#clone.database;
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

  async occupy(slot: string | undefined): Promise<OccupyResult> {
    if (this.#slot !== undefined) throw new Error(`this clone already occupies ${this.#slot}`);
    if (slot === undefined) {
      this.#slot = this.#clone.database;
      return { unavailableMs: 0 };
    }
    const result = await this.#scope.engine.swapIn(slot, this.#clone);
    this.#slot = slot;
    return result;
  }

  drop(): Promise<void> {
    this.#released ??= (async () => {
      this.#untrack();
      try {
        await this.#scope.dispose();
      } finally {
        if (this.#slot === undefined) await this.#clone.drop();
      }
    })();
    return this.#released.then(() => undefined);
  }

  keep(): Promise<string> {
    this.#released ??= (async () => {
      this.#untrack();
      await this.#scope.dispose();
      if (this.#slot === undefined) return;
      // Out from under the slot's name, so the slot's next path cannot replace it.
      this.#clone = await this.#scope.engine.moveAway(this.#slot);
      this.#slot = undefined;
    })();
    return this.#released.then(() => this.#clone.database);
  }
}
