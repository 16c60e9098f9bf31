import createDebug from 'debug';
import type { Target, TargetInstance } from '../api/target.js';
import { TargetAbortedError } from '../api/target-errors.js';
import { waitForHealth } from '../api/wait-for-health.js';
import type { PathDatabase, SlotDatabase } from '../state/branchable-database.js';
import type { SlotStats } from '../result/run-result.js';

const debug = createDebug('venomqa:runner:slots');

/** What getting one path onto a slot cost, for the report and the timeline. */
export interface SlotLoad {
  slot: number;
  /** The swap of the path's clone into the slot's database (0 on the slot's first use). */
  swapMs: number;
  /** How long the slot's database refused connections during the swap. */
  unavailableMs: number;
  /** Waiting for the running API to answer its health URL after the swap. */
  healthMs: number;
  /** The API was started for this path (first use of the slot, or a restart) and took this long. */
  apiStartMs?: number;
  /** Why the API was started again before this path. */
  restartReason?: string;
}

/** One API slot: a long-lived API instance and the database name it stays connected to. */
export class Slot {
  readonly id: number;
  readonly database: SlotDatabase;
  instance: TargetInstance | undefined;
  readonly stats: SlotStats;

  constructor(id: number, database: SlotDatabase) {
    this.id = id;
    this.database = database;
    this.stats = { id, apiStarts: 0, swaps: 0, swapUnavailableMs: [] };
  }
}

export interface ApiSlotsOptions {
  target: Target;
  /** `parallel_paths`: at most this many slots, and so API instances, exist. */
  count: number;
  /** A new empty slot database on the run's server. */
  createDatabase: () => SlotDatabase;
  /** How long a running API may take to answer its health URL after a swap. */
  healthTimeoutMs: number;
}

/**
 * `parallel_paths` API slots for a run: each holds one long-lived API instance, started on the
 * slot's first use, and a database name it stays connected to. A path takes a free slot, its
 * checkpoint's clone is swapped in under that name, the API must answer its health URL again,
 * and only then do the path's steps run; the API is started again only when it died or did not
 * come back healthy. Lines wait in order for a free slot, so at most `count` run at once however
 * deep branches nest.
 */
export class ApiSlots {
  readonly #options: ApiSlotsOptions;
  readonly #slots: Slot[] = [];
  readonly #free: Slot[] = [];
  readonly #waiters: { resolve: (slot: Slot) => void; reject: (error: unknown) => void }[] = [];
  /** Slots whose API is being started ahead of the paths that will use them. */
  readonly #warming = new Set<Promise<void>>();
  #disposed = false;

  constructor(options: ApiSlotsOptions) {
    this.#options = options;
  }

  /** A free slot (a new one while fewer than `count` exist), in the order asked for. */
  acquire(label: string, signal?: AbortSignal): Promise<Slot> {
    if (this.#disposed) return Promise.reject(new Error('the API slots were disposed'));
    if (signal?.aborted)
      return Promise.reject(new TargetAbortedError(label, { cause: signal.reason }));
    const free = this.#free.shift();
    if (free) return Promise.resolve(free);
    if (this.#slots.length < this.#options.count) {
      const slot = new Slot(this.#slots.length + 1, this.#options.createDatabase());
      this.#slots.push(slot);
      return Promise.resolve(slot);
    }
    return new Promise<Slot>((resolve, reject) => {
      const waiter = {
        resolve: (slot: Slot) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(slot);
        },
        reject,
      };
      const onAbort = (): void => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new TargetAbortedError(label, { cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /**
   * Start the APIs of up to `count` slots in the background, so the first paths of a branch
   * find them running: an API's boot then overlaps the journey's own steps instead of
   * delaying a path. `prepare` puts a first database into the slot and starts its API (see
   * `load`); a slot whose start fails is released empty and starts again on first use.
   */
  warm(count: number, prepare: (slot: Slot) => Promise<void>): void {
    while (!this.#disposed && this.#slots.length < Math.min(count, this.#options.count)) {
      const slot = new Slot(this.#slots.length + 1, this.#options.createDatabase());
      this.#slots.push(slot);
      const task: Promise<void> = prepare(slot)
        .catch((error: unknown) => debug('slot %d: warming up failed: %o', slot.id, error))
        .finally(() => {
          this.#warming.delete(task);
          if (!this.#disposed) this.release(slot);
        });
      this.#warming.add(task);
    }
  }

  /** Give a slot back: the next waiting line gets it. */
  release(slot: Slot): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(slot);
    else this.#free.push(slot);
  }

  /**
   * Swap `clone` in under the slot's database and make sure the slot's API serves it: started
   * on the slot's first use, else asked its health URL again; an API that died or does not
   * come back healthy is started afresh (said in `restartReason`).
   */
  async load(
    slot: Slot,
    clone: PathDatabase,
    label: string,
    signal: AbortSignal,
  ): Promise<SlotLoad> {
    const hadContent = slot.database.database !== undefined;
    const swapStarted = performance.now();
    const { unavailableMs } = await clone.occupy(slot.database);
    const swapMs = performance.now() - swapStarted;
    if (hadContent) {
      slot.stats.swaps += 1;
      slot.stats.swapUnavailableMs.push(unavailableMs);
    }
    const load: SlotLoad = { slot: slot.id, swapMs, unavailableMs, healthMs: 0 };
    if (slot.instance) {
      const healthStarted = performance.now();
      const unhealthy = await this.#unhealthy(slot.instance, label, signal);
      load.healthMs = performance.now() - healthStarted;
      if (unhealthy === undefined) return load;
      debug('slot %d: %s; starting it again', slot.id, unhealthy);
      load.restartReason = unhealthy;
      await this.stopApi(slot);
    }
    const apiStarted = performance.now();
    slot.instance = await this.#options.target.acquire(clone.url, {
      label: `${label} (slot ${slot.id})`,
      signal,
    });
    slot.stats.apiStarts += 1;
    load.apiStartMs = performance.now() - apiStarted;
    return load;
  }

  /** Stop the slot's API (it died, or a path is retried on a fresh one); the next load starts one. */
  async stopApi(slot: Slot): Promise<void> {
    const instance = slot.instance;
    slot.instance = undefined;
    await instance
      ?.release()
      .catch((error: unknown) => debug('slot %d: release: %o', slot.id, error));
  }

  /** The counters of every slot used so far. */
  stats(): SlotStats[] {
    return this.#slots.map((slot) => ({
      ...slot.stats,
      swapUnavailableMs: [...slot.stats.swapUnavailableMs],
    }));
  }

  /** Stop every API, then drop every slot's database. Idempotent. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const waiter of this.#waiters.splice(0)) {
      waiter.reject(new Error('the API slots were disposed'));
    }
    await Promise.allSettled([...this.#warming]);
    await Promise.allSettled(this.#slots.map((slot) => this.stopApi(slot)));
    await Promise.allSettled(this.#slots.map((slot) => slot.database.drop()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  /** Undefined when the API answers its health URL; else why not. */
  async #unhealthy(
    instance: TargetInstance,
    label: string,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const gone = await instance.stopped?.();
    if (gone !== undefined) return `the API ${gone}`;
    if (instance.healthUrl === undefined) return undefined;
    const outcome = await waitForHealth({
      url: instance.healthUrl,
      timeoutMs: this.#options.healthTimeoutMs,
      signal,
      ...(instance.stopped ? { isGone: () => instance.stopped?.() } : {}),
    });
    switch (outcome.kind) {
      case 'healthy':
        return undefined;
      case 'aborted':
        throw new TargetAbortedError(label, { cause: outcome.reason });
      case 'gone':
        return `the API ${outcome.reason} after its database was swapped`;
      case 'timeout':
        return `the API did not answer ${instance.healthUrl} within ${this.#options.healthTimeoutMs / 1000} s after its database was swapped${outcome.detail ? ` (${outcome.detail})` : ''}`;
    }
  }
}
