import {
  BaseStateManager,
  type CheckpointOrder,
  type StateManagerOptions,
} from '../../../src/state/base-state-manager.js';

/**
 * A backend whose "store" is one number, with SAVEPOINT-like (`stack`) or copy-like
 * (`independent`) checkpoints, recording every hook call and failing on demand.
 */
export class FakeStateManager extends BaseStateManager {
  protected override readonly checkpointOrder: CheckpointOrder;
  value = 0;
  readonly calls: string[] = [];
  readonly saved = new Map<string, number>();
  /** Hook names (`createCheckpoint`, `connectBackend`, …) that throw on their next call. */
  readonly failNext = new Set<string>();

  constructor(options: StateManagerOptions & { order?: CheckpointOrder } = {}) {
    super(options);
    this.checkpointOrder = options.order ?? 'stack';
  }

  loseConnection(cause: Error): void {
    this.connectionLost(cause);
  }

  #hook(name: string, detail = ''): void {
    this.calls.push(detail === '' ? name : `${name}:${detail}`);
    if (this.failNext.delete(name)) throw new Error(`${name} failed on purpose`);
  }

  protected override connectBackend(): Promise<void> {
    this.#hook('connectBackend');
    return Promise.resolve();
  }

  protected override disconnectBackend(): Promise<void> {
    this.#hook('disconnectBackend');
    this.saved.clear();
    return Promise.resolve();
  }

  protected override createCheckpoint(name: string, savepoint: string): Promise<void> {
    this.#hook('createCheckpoint', savepoint);
    this.saved.set(name, this.value);
    return Promise.resolve();
  }

  protected override rollbackToCheckpoint(name: string, savepoint: string): Promise<void> {
    this.#hook('rollbackToCheckpoint', savepoint);
    this.value = this.saved.get(name) ?? Number.NaN;
    return Promise.resolve();
  }

  protected override releaseCheckpoint(name: string, savepoint: string): Promise<void> {
    this.#hook('releaseCheckpoint', savepoint);
    this.saved.delete(name);
    return Promise.resolve();
  }

  protected override resetState(): Promise<void> {
    this.#hook('resetState');
    this.value = 0;
    this.saved.clear();
    return Promise.resolve();
  }
}
