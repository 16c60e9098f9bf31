import { randomBytes } from 'node:crypto';
import createDebug from 'debug';
import type { Clone } from '../snapshot/snapshot-types.js';
import type { PathDatabase, OccupyResult, SlotDatabase } from './branchable-database.js';
import type { CheckpointScope } from './checkpoint-scope.js';
import { TemplateSlotDatabase } from './slot-database.js';

const debug = createDebug('venomqa:state');

/**
 * One path's clone. Its checkpoints are snapshots named `<fork key>.<checkpoint>` in the run's
 * scope, so two parallel paths may both hold a checkpoint of the same name. Once it occupies a
 * slot (a database name an API stays connected to), its content lives under the slot's name
 * and belongs to the slot: `drop()` then drops only the checkpoints.
 */
export class ClonedDatabase implements PathDatabase {
  #clone: Clone;
  /** The slot this clone's content moved in under. */
  #slot: TemplateSlotDatabase | undefined;
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
    return this.#slot?.url ?? this.#clone.url;
  }

  get database(): string {
    return this.#slot?.database ?? this.#clone.database;
  }

  async checkpoint(name: string): Promise<void> {
    const snapshot = `${this.#key}.${name}`;
    await this.#scope.engine.snapshot(this.database, snapshot, { scope: 'run' });
    this.#scope.remember(name, snapshot);
  }

  prewarm(checkpoint: string, count: number, window?: number): void {
    this.#scope.prewarm(checkpoint, count, window);
  }

  clone(checkpoint: string, count: number): Promise<PathDatabase[]> {
    return this.#scope.clone(checkpoint, count);
  }

  async occupy(slot: SlotDatabase): Promise<OccupyResult> {
    if (!(slot instanceof TemplateSlotDatabase)) {
      throw new TypeError('a template clone can only occupy a slot made by the template backend');
    }
    if (this.#slot !== undefined) throw new Error(`this clone occupies ${this.database} already`);
    const result = await slot.take(this.#clone, this);
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

  keep(path?: string): Promise<string> {
    this.#released ??= (async () => {
      this.#untrack();
      await this.#scope.dispose();
      if (this.#slot !== undefined) {
        // Out from under the slot's name, so the slot's next path cannot replace it.
        this.#clone = await this.#slot.moveOut(this);
        this.#slot = undefined;
      }
      // Named in its catalog entry, for `venomqa db psql --path`; the clone is kept either way.
      if (path !== undefined) {
        await this.#scope.engine
          .markKept(this.#clone.database, path)
          .catch((error: unknown) => debug('recording the path of %s: %o', path, error));
      }
    })();
    return this.#released.then(() => this.#clone.database);
  }
}
