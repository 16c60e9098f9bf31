import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors/exit-code.js';
import {
  CheckpointNotFoundError,
  InvalidCheckpointNameError,
  StateNotConnectedError,
} from '../../../src/state/state-errors.js';
import {
  isForkableStateManager,
  isStateManager,
  missingStateManagerMethods,
} from '../../../src/state/state-manager.js';
import { FakeStateManager } from './fake-state-manager.js';

async function connected(
  options: ConstructorParameters<typeof FakeStateManager>[0] = {},
): Promise<FakeStateManager> {
  const state = new FakeStateManager(options);
  await state.connect();
  return state;
}

describe('BaseStateManager', () => {
  it.each(['checkpoint', 'rollback', 'release'] as const)(
    'refuses %s() before connect() with VENOMQA_STATE_NOT_CONNECTED',
    async (method) => {
      const state = new FakeStateManager();
      const error = await state[method]('a').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateNotConnectedError);
      expect((error as StateNotConnectedError).code).toBe('VENOMQA_STATE_NOT_CONNECTED');
      expect((error as Error).message).toBe(
        `FakeStateManager.${method}() needs a connection: call connect() first`,
      );
      expect(state.calls).toEqual([]);
    },
  );

  it('refuses reset() after disconnect(), and isConnected() follows the connection', async () => {
    const state = await connected();
    expect(state.isConnected()).toBe(true);
    await state.disconnect();
    expect(state.isConnected()).toBe(false);
    await expect(state.reset()).rejects.toBeInstanceOf(StateNotConnectedError);
    await state.disconnect(); // a second disconnect does nothing
    expect(state.calls).toEqual(['connectBackend', 'disconnectBackend']);
  });

  it('connect() twice opens one connection', async () => {
    const state = await connected();
    await state.connect();
    expect(state.calls).toEqual(['connectBackend']);
  });

  it('throws CheckpointNotFoundError naming the missing checkpoint, the existing ones and the causes', async () => {
    const state = await connected();
    await state.checkpoint('user_created');
    await state.checkpoint('order_create');
    const error = await state.rollback('order_created').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointNotFoundError);
    const notFound = error as CheckpointNotFoundError;
    expect(notFound.code).toBe('VENOMQA_CHECKPOINT_NOT_FOUND');
    expect(notFound.exitCode).toBe(ExitCode.Usage);
    expect(notFound.checkpoint).toBe('order_created');
    expect(notFound.available).toEqual(['user_created', 'order_create']);
    expect(notFound.message.split('\n')[0]).toBe(
      "Checkpoint 'order_created' not found; existing checkpoints (oldest first): 'user_created', 'order_create'; did you mean 'order_create'?",
    );
    expect(notFound.message).toContain('never created');
    expect(notFound.message).toContain('misspelled');
    expect(notFound.message).toContain('connection was reset');
    expect(state.calls).not.toContain('rollbackToCheckpoint:chk_order_created');
  });

  it('says so when no checkpoint exists at all', async () => {
    const state = await connected();
    await expect(state.release('x')).rejects.toThrow(
      /^Checkpoint 'x' not found; existing checkpoints \(oldest first\): none\n/,
    );
  });

  it('validates the name before touching the backend', async () => {
    const state = await connected();
    await expect(state.checkpoint('bad name')).rejects.toBeInstanceOf(InvalidCheckpointNameError);
    await expect(state.rollback('')).rejects.toBeInstanceOf(InvalidCheckpointNameError);
    expect(state.calls).toEqual(['connectBackend']);
  });

  it('logs each operation with the SAVEPOINT name when verbose, through the given logger', async () => {
    const lines: string[] = [];
    const state = await connected({ verbose: true, logger: (line) => lines.push(line) });
    await state.checkpoint('order_created');
    await state.rollback('order_created');
    await state.release('order_created');
    await state.reset();
    expect(lines).toEqual([
      'Connected',
      'Created checkpoint: chk_order_created',
      'Rolled back to checkpoint: chk_order_created',
      'Released checkpoint: chk_order_created',
      'Reset state (0 checkpoints discarded)',
    ]);
  });

  it('logs nothing to the logger when not verbose', async () => {
    const lines: string[] = [];
    const state = await connected({ logger: (line) => lines.push(line) });
    await state.checkpoint('a');
    expect(lines).toEqual([]);
  });

  describe('stack order (SAVEPOINT semantics)', () => {
    it('rollback to an older checkpoint discards the newer ones', async () => {
      const state = await connected();
      state.value = 1;
      await state.checkpoint('one');
      state.value = 2;
      await state.checkpoint('two');
      state.value = 3;
      await state.checkpoint('three');
      await state.rollback('one');
      expect(state.value).toBe(1);
      expect(state.checkpoints).toEqual(['one']);
      await expect(state.rollback('three')).rejects.toBeInstanceOf(CheckpointNotFoundError);
      await state.rollback('one'); // the checkpoint itself survives its rollback
      expect(state.value).toBe(1);
    });

    it('release drops the checkpoint and every newer one', async () => {
      const state = await connected();
      await state.checkpoint('one');
      await state.checkpoint('two');
      await state.checkpoint('three');
      await state.release('two');
      expect(state.checkpoints).toEqual(['one']);
    });

    it('re-using a name replaces the checkpoint and makes it the newest', async () => {
      const state = await connected();
      state.value = 1;
      await state.checkpoint('a');
      await state.checkpoint('b');
      state.value = 5;
      await state.checkpoint('a');
      expect(state.checkpoints).toEqual(['b', 'a']);
      state.value = 9;
      await state.rollback('a');
      expect(state.value).toBe(5);
    });
  });

  describe('independent order (copies)', () => {
    it('rolls back to any checkpoint in any order and releases only the one named', async () => {
      const state = await connected({ order: 'independent' });
      state.value = 1;
      await state.checkpoint('one');
      state.value = 2;
      await state.checkpoint('two');
      await state.rollback('one');
      expect(state.value).toBe(1);
      await state.rollback('two');
      expect(state.value).toBe(2);
      await state.release('one');
      expect(state.checkpoints).toEqual(['two']);
    });
  });

  it('reset() and disconnect() forget every checkpoint, even when reset fails', async () => {
    const state = await connected();
    await state.checkpoint('a');
    state.failNext.add('resetState');
    await expect(state.reset()).rejects.toThrow('resetState failed on purpose');
    expect(state.checkpoints).toEqual([]);
    await state.checkpoint('b');
    await state.disconnect();
    await state.connect();
    expect(state.checkpoints).toEqual([]);
  });

  it('keeps the list unchanged when the backend fails a checkpoint', async () => {
    const state = await connected();
    await state.checkpoint('a');
    state.failNext.add('createCheckpoint');
    await expect(state.checkpoint('b')).rejects.toThrow('createCheckpoint failed on purpose');
    expect(state.checkpoints).toEqual(['a']);
  });

  it('after a lost connection, refuses calls naming the cause, and connect() starts afresh', async () => {
    const state = await connected();
    await state.checkpoint('a');
    state.loseConnection(new Error('terminating connection due to administrator command'));
    expect(state.isConnected()).toBe(false);
    const error = await state.checkpoint('b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateNotConnectedError);
    expect((error as Error).message).toContain(
      'the connection was lost: terminating connection due to administrator command',
    );
    await state.connect();
    expect(state.isConnected()).toBe(true);
    expect(state.checkpoints).toEqual([]);
    expect(state.calls).toEqual([
      'connectBackend',
      'createCheckpoint:chk_a',
      'disconnectBackend',
      'connectBackend',
    ]);
  });

  it('disconnects at the end of an `await using` scope', async () => {
    let state: FakeStateManager;
    {
      await using scoped = await connected();
      state = scoped;
    }
    expect(state.isConnected()).toBe(false);
  });
});

describe('protocol checks', () => {
  it('names the missing methods', () => {
    expect(missingStateManagerMethods({ connect() {}, checkpoint() {} })).toEqual([
      'disconnect',
      'rollback',
      'release',
      'reset',
      'isConnected',
    ]);
    expect(missingStateManagerMethods(null)).toHaveLength(7);
    expect(isStateManager(new FakeStateManager())).toBe(true);
  });

  it('tells forkable managers apart', () => {
    const plain = new FakeStateManager();
    expect(isForkableStateManager(plain)).toBe(false);
    const forkable = Object.assign(new FakeStateManager(), {
      fork: () => Promise.resolve([]),
      dispose: () => Promise.resolve(),
    });
    expect(isForkableStateManager(forkable)).toBe(true);
  });
});
