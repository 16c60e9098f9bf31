import createDebug from 'debug';
import { messageOf } from '../errors/venomqa-error.js';
import {
  CompositeStateError,
  StateConfigError,
  type CompositePartFailure,
} from './state-errors.js';
import { isStateManager, type StateManager } from './state-manager.js';
import { BaseStateManager, type StateManagerOptions } from './base-state-manager.js';

const debug = createDebug('venomqa:state:composite');

/**
 * Several state managers used as one (PostgreSQL plus Redis, say): each operation runs on every
 * part, in the order given, under the same checkpoint name. Parts are named for error messages.
 *
 * When a part fails, what the others did is undone where that is possible, and a
 * {@link CompositeStateError} (`VENOMQA_COMPOSITE_STATE_FAILED`) names the failing part:
 * - `connect()`: the parts already connected are disconnected again.
 * - `checkpoint()`: the parts that took the checkpoint release it again.
 * - `rollback()`, `release()`, `reset()`, `disconnect()`: a rollback cannot be undone, so every
 *   part is still attempted (to get as close to the checkpoint as possible) and all failures
 *   are reported together. After a failed rollback the stores may disagree: `reset()` them.
 *
 * Checkpoints nest like SAVEPOINTs (rolling back discards newer checkpoints in every part), the
 * strictest rule any part may have.
 *
 * @example
 * ```ts
 * const state = new CompositeStateManager({
 *   postgres: new PostgreSQLStateManager({ connection_url: databaseUrl }),
 *   redis: new RedisStateManager({ connection_url: redisUrl, key_prefix: 'cart:' }),
 * });
 * await state.connect();
 * await state.checkpoint('cart_filled'); // SAVEPOINT and Redis copy, together
 * await state.rollback('cart_filled'); // both stores back
 * await state.disconnect();
 * ```
 */
export class CompositeStateManager extends BaseStateManager {
  readonly #parts: readonly (readonly [string, StateManager])[];

  constructor(parts: Readonly<Record<string, StateManager>>, options: StateManagerOptions = {}) {
    super(options);
    const entries = Object.entries(parts);
    if (entries.length === 0) {
      throw new StateConfigError('CompositeStateManager needs at least one part');
    }
    for (const [name, part] of entries) {
      if (!isStateManager(part)) {
        throw new StateConfigError(`CompositeStateManager part '${name}' is not a StateManager`);
      }
    }
    this.#parts = entries;
  }

  /** The part names, in the order operations run. */
  get partNames(): string[] {
    return this.#parts.map(([name]) => name);
  }

  /** The part registered under `name`. */
  part<T extends StateManager = StateManager>(name: string): T {
    const found = this.#parts.find(([partName]) => partName === name);
    if (found === undefined) {
      throw new StateConfigError(
        `CompositeStateManager has no part '${name}' (parts: ${this.partNames.join(', ')})`,
      );
    }
    return found[1] as T;
  }

  override isConnected(): boolean {
    return super.isConnected() && this.#parts.every(([, part]) => part.isConnected());
  }

  protected override async connectBackend(): Promise<void> {
    const connected: string[] = [];
    for (const [name, part] of this.#parts) {
      try {
        await part.connect();
        connected.push(name);
      } catch (error) {
        const undone = await this.#undo(connected, (p) => p.disconnect());
        throw new CompositeStateError('connect()', [{ part: name, error }], { undone });
      }
    }
  }

  protected override async disconnectBackend(): Promise<void> {
    await this.#everyPart('disconnect()', (part) => part.disconnect());
  }

  protected override async createCheckpoint(name: string): Promise<void> {
    const done: string[] = [];
    for (const [partName, part] of this.#parts) {
      try {
        await part.checkpoint(name);
        done.push(partName);
      } catch (error) {
        const undone = await this.#undo(done, (p) => p.release(name));
        throw new CompositeStateError(`checkpoint('${name}')`, [{ part: partName, error }], {
          undone,
        });
      }
    }
  }

  protected override async rollbackToCheckpoint(name: string): Promise<void> {
    const newer = this.checkpoints.slice(this.checkpoints.indexOf(name) + 1);
    await this.#everyPart(`rollback('${name}')`, (part) => part.rollback(name), {
      note: 'The parts listed were not rolled back; the others were, so the stores may disagree',
      hint: 'Call reset() to bring every store back to a clean state.',
    });
    // Parts with independent checkpoints still hold the newer ones this rollback discards.
    for (const [partName, part] of this.#parts) {
      for (const checkpoint of newer) {
        if (part instanceof BaseStateManager && !part.hasCheckpoint(checkpoint)) continue;
        await part.release(checkpoint).catch((error: unknown) => {
          debug('part %s: release(%s) after rollback: %s', partName, checkpoint, messageOf(error));
        });
      }
    }
  }

  protected override async releaseCheckpoint(name: string): Promise<void> {
    const newer = this.checkpoints.slice(this.checkpoints.indexOf(name));
    await this.#everyPart(`release('${name}')`, async (part) => {
      // Newest first, so a part whose checkpoints nest never sees an already-released name.
      for (const checkpoint of [...newer].reverse()) {
        if (part instanceof BaseStateManager && !part.hasCheckpoint(checkpoint)) continue;
        await part.release(checkpoint);
      }
    });
  }

  protected override async resetState(): Promise<void> {
    await this.#everyPart('reset()', (part) => part.reset());
  }

  /** Run `operation` on every part; throw one error naming every part that failed. */
  async #everyPart(
    operation: string,
    run: (part: StateManager) => Promise<void>,
    details: { note?: string; hint?: string } = {},
  ): Promise<void> {
    const { hint, ...message } = details;
    const failures: CompositePartFailure[] = [];
    for (const [part, manager] of this.#parts) {
      try {
        await run(manager);
      } catch (error) {
        failures.push({ part, error });
      }
    }
    const [first, ...rest] = failures;
    if (first !== undefined) {
      throw new CompositeStateError(
        operation,
        [first, ...rest],
        message,
        hint === undefined ? {} : { hint },
      );
    }
  }

  /** Best-effort undo on the named parts, newest first; returns the parts undone. */
  async #undo(
    names: readonly string[],
    undo: (part: StateManager) => Promise<void>,
  ): Promise<string[]> {
    const undone: string[] = [];
    for (const name of [...names].reverse()) {
      try {
        await undo(this.part(name));
        undone.push(name);
      } catch (error) {
        debug('part %s: undo failed: %s', name, messageOf(error));
      }
    }
    return undone.reverse();
  }
}
