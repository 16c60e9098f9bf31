import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors/exit-code.js';
import { CompositeStateManager } from '../../../src/state/composite-state-manager.js';
import {
  CompositeStateError,
  StateConfigError,
  StateConnectionError,
} from '../../../src/state/state-errors.js';
import { FakeStateManager } from './fake-state-manager.js';

function parts(): { db: FakeStateManager; cache: FakeStateManager; search: FakeStateManager } {
  return {
    db: new FakeStateManager(),
    cache: new FakeStateManager({ order: 'independent' }),
    search: new FakeStateManager(),
  };
}

async function failure(promise: Promise<unknown>): Promise<CompositeStateError> {
  const error = await promise.catch((e: unknown) => e);
  if (error instanceof CompositeStateError) return error;
  throw new Error(`expected a CompositeStateError, got ${String(error)}`);
}

describe('CompositeStateManager', () => {
  it('checkpoints, rolls back and releases every part under one name', async () => {
    const p = parts();
    const state = new CompositeStateManager(p);
    await state.connect();
    expect(Object.values(p).every((part) => part.isConnected())).toBe(true);
    p.db.value = 1;
    p.cache.value = 10;
    await state.checkpoint('cart_filled');
    p.db.value = 2;
    p.cache.value = 20;
    await state.rollback('cart_filled');
    expect([p.db.value, p.cache.value]).toEqual([1, 10]);
    await state.release('cart_filled');
    expect(p.db.checkpoints).toEqual([]);
    expect(p.cache.checkpoints).toEqual([]);
    await state.disconnect();
    expect(Object.values(p).some((part) => part.isConnected())).toBe(false);
  });

  it('releases in independent parts the checkpoints a rollback discards', async () => {
    const p = parts();
    const state = new CompositeStateManager(p);
    await state.connect();
    await state.checkpoint('one');
    await state.checkpoint('two');
    await state.rollback('one');
    expect(state.checkpoints).toEqual(['one']);
    expect(p.cache.checkpoints).toEqual(['one']);
    expect(p.db.checkpoints).toEqual(['one']);
  });

  it('undoes the checkpoint on the parts that took it when a later part fails', async () => {
    const p = parts();
    const state = new CompositeStateManager(p);
    await state.connect();
    p.search.failNext.add('createCheckpoint');
    const error = await failure(state.checkpoint('order_created'));
    expect(error.code).toBe('VENOMQA_COMPOSITE_STATE_FAILED');
    expect(error.part).toBe('search');
    expect(error.undone).toEqual(['db', 'cache']);
    expect(error.message).toBe(
      "checkpoint('order_created') failed on part 'search': part 'search': createCheckpoint failed on purpose. Undone on 'db', 'cache'",
    );
    expect(p.db.checkpoints).toEqual([]);
    expect(p.cache.checkpoints).toEqual([]);
    expect(state.checkpoints).toEqual([]);
  });

  it('disconnects the parts already connected when one cannot connect', async () => {
    const p = parts();
    p.cache.failNext.add('connectBackend');
    const state = new CompositeStateManager(p);
    const error = await failure(state.connect());
    expect(error.part).toBe('cache');
    expect(error.undone).toEqual(['db']);
    expect(p.db.isConnected()).toBe(false);
    expect(p.search.calls).toEqual([]);
    expect(state.isConnected()).toBe(false);
  });

  it('still rolls back the other parts when one fails, and names every failing part', async () => {
    const p = parts();
    const state = new CompositeStateManager(p);
    await state.connect();
    await state.checkpoint('a');
    p.db.value = 5;
    p.search.value = 5;
    p.db.failNext.add('rollbackToCheckpoint');
    p.cache.failNext.add('rollbackToCheckpoint');
    const error = await failure(state.rollback('a'));
    expect(error.failures.map((f) => f.part)).toEqual(['db', 'cache']);
    expect(error.cause).toBeInstanceOf(AggregateError);
    expect(error.message).toContain("rollback('a') failed on part 'db', 'cache'");
    expect(error.hint).toContain('reset()');
    expect(p.search.value).toBe(0);
  });

  it('takes the exit code of the failing part’s own error', async () => {
    const p = parts();
    const state = new CompositeStateManager({ db: p.db });
    await state.connect();
    const db = p.db as unknown as { resetState: () => Promise<void> };
    db.resetState = () => Promise.reject(new StateConnectionError('server gone'));
    const error = await failure(state.reset());
    expect(error.exitCode).toBe(ExitCode.EnvironmentUnavailable);
  });

  it('is connected only while every part is', async () => {
    const p = parts();
    const state = new CompositeStateManager(p);
    await state.connect();
    p.cache.loseConnection(new Error('gone'));
    expect(state.isConnected()).toBe(false);
  });

  it('refuses no parts, or a part that is not a StateManager', () => {
    expect(() => new CompositeStateManager({})).toThrow(StateConfigError);
    expect(
      () => new CompositeStateManager({ db: { connect() {} } as unknown as FakeStateManager }),
    ).toThrow("part 'db' is not a StateManager");
  });
});
