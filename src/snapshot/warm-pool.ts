import createDebug from 'debug';

const debug = createDebug('venomqa:snapshot:pool');

/** What a warm pool holds: anything that can be dropped. */
export interface Droppable {
  drop(): Promise<void>;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

export interface WarmPoolOptions {
  /**
   * Make at most this many in all (default: no limit). A branch knows how many paths will fork
   * a checkpoint, so its pool makes that many and no more; `extend` raises the budget.
   */
  total?: number;
}

/**
 * Keeps `size` clones ready so a caller gets one at once, and refills in the background (the
 * IntegreSQL idea). A clone handed out is the caller's to drop.
 *
 * @example
 * const pool = await engine.pool('order_created', 4);
 * const clone = await pool.acquire(); // ready: no CREATE DATABASE on the caller's clock
 * await pool.dispose();
 */
export class WarmPool<T extends Droppable = Droppable> implements AsyncDisposable {
  readonly size: number;
  readonly #create: () => Promise<T>;
  readonly #ready: T[] = [];
  readonly #waiters: Waiter<T>[] = [];
  readonly #inflight = new Set<Promise<void>>();
  /** How many more may be made; Infinity without a budget. */
  #budget: number;
  #disposed = false;
  #lastError: unknown;

  constructor(create: () => Promise<T>, size: number, options: WarmPoolOptions = {}) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`pool size must be >= 1, got ${size}`);
    this.#create = create;
    this.size = size;
    this.#budget = options.total ?? Number.POSITIVE_INFINITY;
    this.#refill();
  }

  /** Clones ready right now. */
  get available(): number {
    return this.#ready.length;
  }

  /** A clone: at once when one is ready, else as soon as one is made. */
  acquire(): Promise<T> {
    if (this.#disposed) return Promise.reject(new Error('the warm pool is disposed'));
    const ready = this.#ready.shift();
    const result = ready
      ? Promise.resolve(ready)
      : new Promise<T>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#refill();
    return result;
  }

  /**
   * A clone that is ready or being made, or undefined when none is and the budget is spent (or
   * the last creation failed): the caller then makes its own instead of waiting for nothing.
   */
  tryAcquire(): Promise<T> | undefined {
    if (this.#disposed) return undefined;
    const pending = this.#ready.length + this.#inflight.size - this.#waiters.length;
    if (pending <= 0) return undefined;
    return this.acquire();
  }

  /** Allow `count` more to be made, and start making them up to `size` ahead. */
  extend(count: number): void {
    this.#budget += count;
    this.#refill();
  }

  /** Wait until the pool is full (or a creation failed). */
  async filled(): Promise<void> {
    while (!this.#disposed && this.#ready.length < this.size && this.#inflight.size > 0) {
      await Promise.race(this.#inflight);
    }
    if (this.#ready.length < this.size && this.#lastError !== undefined) {
      throw this.#lastError instanceof Error
        ? this.#lastError
        : new Error('creating a clone failed', { cause: this.#lastError });
    }
  }

  /** Stop refilling, wait for creations in flight, and drop every clone not handed out. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const waiter of this.#waiters.splice(0))
      waiter.reject(new Error('the warm pool was disposed'));
    while (this.#inflight.size > 0) await Promise.allSettled(this.#inflight);
    await Promise.allSettled(this.#ready.splice(0).map((c) => c.drop()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  #refill(): void {
    while (
      !this.#disposed &&
      this.#budget > 0 &&
      this.#ready.length + this.#inflight.size < this.size + this.#waiters.length
    ) {
      this.#budget -= 1;
      const task: Promise<void> = this.#create().then(
        (clone) => {
          this.#inflight.delete(task);
          if (this.#disposed) {
            void clone.drop().catch(() => undefined);
            return;
          }
          const waiter = this.#waiters.shift();
          if (waiter) waiter.resolve(clone);
          else this.#ready.push(clone);
          this.#refill();
        },
        (error: unknown) => {
          this.#inflight.delete(task);
          this.#lastError = error;
          debug('creating a clone failed: %o', error);
          // Do not spin on a failing server: fail everyone waiting now and stop refilling
          // until the next acquire.
          for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
        },
      );
      this.#inflight.add(task);
    }
  }
}
