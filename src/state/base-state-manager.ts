import createDebug from 'debug';
import { checkpointSavepointName, validateCheckpointName } from './checkpoint-name.js';
import {
  CheckpointNotFoundError,
  StateConfigError,
  StateNotConnectedError,
} from './state-errors.js';
import type { StateManager } from './state-manager.js';

const debug = createDebug('venomqa:state');

/** Receives one line per state operation when `verbose` is on. */
export type StateLogger = (line: string) => void;

/** Writes each line to stderr, where venomqa prints progress and logs. */
export const stderrStateLogger: StateLogger = (line) => {
  process.stderr.write(`[venomqa:state] ${line}\n`);
};

/** Options every built-in backend accepts. */
export interface StateManagerOptions {
  /** Log each operation (`Created checkpoint: chk_order_created`). Default false. */
  verbose?: boolean;
  /**
   * Where verbose lines go. Default: stderr. Without `verbose`, lines still reach the `debug`
   * logger `venomqa:state` (`DEBUG=venomqa:state`).
   */
  logger?: StateLogger;
}

/**
 * How a backend's checkpoints relate:
 * - `stack`: SAVEPOINT semantics. Rolling back to a checkpoint discards every newer one;
 *   releasing one releases every newer one too.
 * - `independent`: each checkpoint is a separate copy; rollback and release touch only the one
 *   named, in any order.
 */
export type CheckpointOrder = 'stack' | 'independent';

/**
 * The bookkeeping every backend shares: the ordered list of checkpoints (oldest first), the
 * connected state, name validation and mapping (`order_created` → `chk_order_created`, see
 * {@link checkpointSavepointName}), {@link CheckpointNotFoundError} and the verbose log lines.
 *
 * Two ways to write a backend on it:
 * - **Hooks** (what venomqa's backends do): implement `connectBackend`, `disconnectBackend`,
 *   `createCheckpoint`, `rollbackToCheckpoint`, `releaseCheckpoint` and `resetState`; the
 *   public methods call them and never before `connect()` or for an unknown checkpoint.
 * - **VenomQA's subclass style**: override the public methods themselves (`connect`,
 *   `disconnect`, `checkpoint`, `rollback`, `release`, `reset`), call
 *   {@link BaseStateManager.ensureConnected} first, set `this.connected` and keep
 *   `this.checkpoints` yourself, as VenomQA's `_ensure_connected()`, `_connected` and
 *   `_checkpoints`:
 *
 * ```ts
 * class InMemoryStateManager extends BaseStateManager {
 *   data: Record<string, unknown> = {};
 *   readonly #snapshots = new Map<string, Record<string, unknown>>();
 *   override async connect() { this.connected = true; }
 *   override async disconnect() { this.connected = false; this.checkpoints = []; }
 *   override async checkpoint(name: string) {
 *     this.ensureConnected();
 *     this.#snapshots.set(name, structuredClone(this.data));
 *     this.checkpoints.push(name);
 *   }
 *   // … rollback, release, reset likewise
 * }
 * ```
 *
 * A hook a backend neither implements nor bypasses fails with a {@link StateConfigError}
 * naming both ways. Implements `Symbol.asyncDispose`, so `await using state = …` disconnects
 * at scope end.
 */
export abstract class BaseStateManager implements StateManager {
  /** Whether checkpoints nest like SAVEPOINTs or are independent copies. */
  protected readonly checkpointOrder: CheckpointOrder = 'stack';
  readonly verbose: boolean;
  /** The URL given to the constructor (VenomQA's `connection_url`), when there is one. */
  readonly connectionUrl: string | undefined;
  /**
   * True between a successful `connect()` and `disconnect()` (VenomQA's `_connected`). A
   * subclass that overrides `connect()` / `disconnect()` sets it itself.
   */
  protected connected = false;
  /**
   * The checkpoints held, oldest first (VenomQA's `_checkpoints`). The public methods keep it;
   * a subclass that overrides them pushes and removes names itself.
   */
  checkpoints: string[] = [];
  readonly #logger: StateLogger;
  #lost: { cause: unknown } | undefined;

  constructor(options: (StateManagerOptions & { connection_url?: string }) | string = {}) {
    const resolved = typeof options === 'string' ? { connection_url: options } : options;
    this.verbose = resolved.verbose ?? false;
    this.#logger = resolved.logger ?? stderrStateLogger;
    this.connectionUrl = resolved.connection_url;
  }

  /** Open the backend's connection (and whatever a checkpoint needs, e.g. `BEGIN`). */
  protected connectBackend(): Promise<void> {
    return this.#notImplemented('connect', 'connectBackend');
  }
  /** Close the connection. Also called after the connection was lost, to free the client. */
  protected disconnectBackend(): Promise<void> {
    return this.#notImplemented('disconnect', 'disconnectBackend');
  }
  /** `savepoint` is `chk_<name>`; an existing checkpoint of that name is to be replaced. */
  protected createCheckpoint(_name: string, _savepoint: string): Promise<void> {
    return this.#notImplemented('checkpoint', 'createCheckpoint');
  }
  protected rollbackToCheckpoint(_name: string, _savepoint: string): Promise<void> {
    return this.#notImplemented('rollback', 'rollbackToCheckpoint');
  }
  protected releaseCheckpoint(_name: string, _savepoint: string): Promise<void> {
    return this.#notImplemented('release', 'releaseCheckpoint');
  }
  /** Return to a clean state; the list of checkpoints is cleared afterwards. */
  protected resetState(): Promise<void> {
    return this.#notImplemented('reset', 'resetState');
  }

  /** Whether two checkpoint names denote the same checkpoint (MySQL ignores case). */
  protected sameCheckpoint(a: string, b: string): boolean {
    return a === b;
  }

  /** True when a checkpoint of that name exists. */
  hasCheckpoint(name: string): boolean {
    return this.#indexOf(name) !== -1;
  }

  isConnected(): boolean {
    return this.connected && this.#lost === undefined;
  }

  async connect(): Promise<void> {
    if (this.isConnected()) return;
    if (this.connected) await this.disconnect(); // the old connection was lost: start afresh
    await this.connectBackend();
    this.connected = true;
    this.#lost = undefined;
    this.checkpoints = [];
    this.log('Connected');
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    try {
      await this.disconnectBackend();
    } finally {
      this.connected = false;
      this.#lost = undefined;
      this.checkpoints = [];
      this.log('Disconnected');
    }
  }

  async checkpoint(name: string): Promise<void> {
    this.requireConnected('checkpoint');
    const savepoint = checkpointSavepointName(name);
    await this.createCheckpoint(name, savepoint);
    const index = this.#indexOf(name);
    if (index !== -1) this.checkpoints.splice(index, 1);
    this.checkpoints.push(name);
    this.log(`Created checkpoint: ${savepoint}`);
  }

  async rollback(name: string): Promise<void> {
    this.requireConnected('rollback');
    const [stored, index] = this.#find(name);
    const savepoint = checkpointSavepointName(stored);
    await this.rollbackToCheckpoint(stored, savepoint);
    if (this.checkpointOrder === 'stack') this.checkpoints.length = index + 1;
    this.log(`Rolled back to checkpoint: ${savepoint}`);
  }

  async release(name: string): Promise<void> {
    this.requireConnected('release');
    const [stored, index] = this.#find(name);
    const savepoint = checkpointSavepointName(stored);
    await this.releaseCheckpoint(stored, savepoint);
    if (this.checkpointOrder === 'stack') this.checkpoints.length = index;
    else this.checkpoints.splice(index, 1);
    this.log(`Released checkpoint: ${savepoint}`);
  }

  async reset(): Promise<void> {
    this.requireConnected('reset');
    const discarded = this.checkpoints.length;
    try {
      await this.resetState();
    } finally {
      // Even a failed reset may have ended the transaction the SAVEPOINTs lived in.
      this.checkpoints = [];
    }
    this.log(`Reset state (${discarded} checkpoint${discarded === 1 ? '' : 's'} discarded)`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.disconnect();
  }

  /**
   * Call from a client's `'error'` listener: the connection is gone, so every later call fails
   * with {@link StateNotConnectedError} naming this cause, until `connect()` opens a new one.
   */
  protected connectionLost(cause: unknown): void {
    if (!this.connected || this.#lost !== undefined) return;
    this.#lost = { cause };
    this.checkpoints = [];
    this.log(`Connection lost: ${cause instanceof Error ? cause.message : String(cause)}`);
  }

  /**
   * Throws {@link StateNotConnectedError} unless connected (VenomQA's `_ensure_connected()`):
   * the first line of every overridden public method.
   */
  protected ensureConnected(operation = 'this operation'): void {
    this.requireConnected(operation);
  }

  /** Throws {@link StateNotConnectedError} unless connected. */
  protected requireConnected(operation: string): void {
    if (!this.connected) throw new StateNotConnectedError(this.constructor.name, operation);
    if (this.#lost !== undefined) {
      throw new StateNotConnectedError(this.constructor.name, operation, {
        cause: this.#lost.cause,
      });
    }
  }

  /** One line to the verbose logger (or to `DEBUG=venomqa:state` when not verbose). */
  protected log(line: string): void {
    if (this.verbose) this.#logger(line);
    else debug('%s: %s', this.constructor.name, line);
  }

  #notImplemented(method: string, hook: string): Promise<never> {
    return Promise.reject(
      new StateConfigError(
        `${this.constructor.name} implements neither ${method}() nor the ${hook}() hook of BaseStateManager`,
        {
          hint: `Override ${method}() (calling this.ensureConnected() first), or implement ${hook}() and let BaseStateManager call it.`,
        },
      ),
    );
  }

  #indexOf(name: string): number {
    return this.checkpoints.findIndex((existing) => this.sameCheckpoint(existing, name));
  }

  #find(name: string): [stored: string, index: number] {
    validateCheckpointName(name);
    const index = this.#indexOf(name);
    const stored = this.checkpoints[index];
    if (stored === undefined) throw new CheckpointNotFoundError(name, this.checkpoints);
    return [stored, index];
  }
}
