/* eslint-disable @typescript-eslint/require-await -- the backend below is written as VenomQA's users write theirs: async methods whose store is in memory */
import { describe, expect, it } from 'vitest';
import {
  CheckpointNotFoundError,
  StateConfigError,
  StateNotConnectedError,
} from '../../../src/state/state-errors.js';
import { isStateManager } from '../../../src/state/state-manager.js';
import { BaseStateManager } from '../../../src/state/base-state-manager.js';

/**
 * VenomQA's documented in-memory backend, written the documented way: the public methods
 * overridden, `ensureConnected()` first (VenomQA's `_ensure_connected()`), `connected` set by
 * hand (`_connected`) and its own checkpoint list kept in `checkpoints` (`_checkpoints`).
 */
class InMemoryStateManager extends BaseStateManager {
  data: Record<string, unknown> = {};
  readonly #snapshots = new Map<string, Record<string, unknown>>();
  readonly #initial: Record<string, unknown>;

  constructor(connectionUrl = 'memory://default', initialState: Record<string, unknown> = {}) {
    super(connectionUrl);
    this.#initial = initialState;
  }

  override async connect(): Promise<void> {
    this.data = structuredClone(this.#initial);
    this.#snapshots.clear();
    this.connected = true;
  }

  override async disconnect(): Promise<void> {
    this.data = {};
    this.#snapshots.clear();
    this.connected = false;
    this.checkpoints.length = 0;
  }

  override async checkpoint(name: string): Promise<void> {
    this.ensureConnected();
    this.#snapshots.set(name, structuredClone(this.data));
    this.checkpoints.push(name);
  }

  override async rollback(name: string): Promise<void> {
    this.ensureConnected();
    const snapshot = this.#snapshots.get(name);
    if (snapshot === undefined) throw new CheckpointNotFoundError(name, this.checkpoints);
    this.data = structuredClone(snapshot);
    const index = this.checkpoints.indexOf(name);
    for (const newer of this.checkpoints.slice(index + 1)) this.#snapshots.delete(newer);
    this.checkpoints = this.checkpoints.slice(0, index + 1);
  }

  override async release(name: string): Promise<void> {
    this.ensureConnected();
    this.#snapshots.delete(name);
    const index = this.checkpoints.indexOf(name);
    if (index !== -1) this.checkpoints.splice(index, 1);
  }

  override async reset(): Promise<void> {
    this.ensureConnected();
    this.data = structuredClone(this.#initial);
    this.#snapshots.clear();
    this.checkpoints.length = 0;
  }
}

describe("BaseStateManager subclassed in VenomQA's documented style", () => {
  it('type-checks, keeps the URL, and satisfies the StateManager protocol', () => {
    const state = new InMemoryStateManager('memory://orders', { orders: 0 });
    expect(state.connectionUrl).toBe('memory://orders');
    expect(isStateManager(state)).toBe(true);
    expect(state.isConnected()).toBe(false);
  });

  it('refuses work before connect() through ensureConnected()', async () => {
    const state = new InMemoryStateManager();
    const error = await state.checkpoint('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateNotConnectedError);
    expect((error as Error).message).toContain('InMemoryStateManager.');
  });

  it('checkpoints, rolls back newest-first, releases and resets with its own checkpoint list', async () => {
    await using state = new InMemoryStateManager('memory://x', { orders: 0 });
    await state.connect();
    expect(state.isConnected()).toBe(true);
    state.data.orders = 1;
    await state.checkpoint('one_order');
    state.data.orders = 2;
    await state.checkpoint('two_orders');
    state.data.orders = 3;
    expect(state.checkpoints).toEqual(['one_order', 'two_orders']);
    expect(state.hasCheckpoint('two_orders')).toBe(true);
    await state.rollback('one_order');
    expect(state.data.orders).toBe(1);
    expect(state.checkpoints).toEqual(['one_order']);
    await expect(state.rollback('two_orders')).rejects.toBeInstanceOf(CheckpointNotFoundError);
    await state.release('one_order');
    expect(state.checkpoints).toEqual([]);
    state.data.orders = 9;
    await state.reset();
    expect(state.data.orders).toBe(0);
    await state.disconnect();
    expect(state.isConnected()).toBe(false);
  });

  it('a subclass that overrides neither a public method nor its hook gets a typed error naming both', async () => {
    class Half extends BaseStateManager {
      override async connect(): Promise<void> {
        this.connected = true;
      }
    }
    const state = new Half();
    await state.connect();
    const error = await state.checkpoint('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateConfigError);
    expect((error as Error).message).toBe(
      'Half implements neither checkpoint() nor the createCheckpoint() hook of BaseStateManager',
    );
  });
});
