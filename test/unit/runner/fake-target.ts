import { TargetAbortedError, TargetStartError } from '../../../src/api/target-errors.js';
import type { AcquireOptions, Target, TargetInstance } from '../../../src/api/target.js';
import { WORKING, tick, type FakeWorld } from './fake-world.js';

/** One fake API instance: bound to the database URL it was started with, until released. */
export class FakeApi implements TargetInstance {
  readonly id: number;
  readonly baseUrl: string;
  readonly databaseUrl: string;
  readonly label: string;
  released = false;
  /** Why it stopped on its own (`was killed`); undefined while it runs. */
  death: string | undefined;
  readonly #onRelease: () => void;

  constructor(id: number, databaseUrl: string, label: string, onRelease: () => void) {
    this.id = id;
    this.baseUrl = `http://api-${id}.fake.test`;
    this.databaseUrl = databaseUrl;
    this.label = label;
    this.#onRelease = onRelease;
  }

  /** The API dies (a crash, OOM): its requests are refused and `stopped()` says why. */
  kill(reason = 'was killed'): void {
    this.death = reason;
  }

  stopped(): Promise<string | undefined> {
    return Promise.resolve(this.death);
  }

  logs(count: number): Promise<string[]> {
    return Promise.resolve([`api ${this.id} served ${this.label}`].slice(0, count));
  }

  release(): Promise<void> {
    if (!this.released) {
      this.released = true;
      this.#onRelease();
    }
    return Promise.resolve();
  }
}

export interface FakeTargetOptions {
  /** `shared`: one API, whatever the URL, bound to the working database. Default `process`. */
  mode?: 'process' | 'shared';
}

/**
 * A target that "starts" a {@link FakeApi} per acquire (after a macrotask, as a boot takes
 * time), and counts what exists: a test can see how many APIs ran at once and that every one
 * was released.
 */
export class FakeTarget implements Target {
  readonly mode: 'process' | 'shared';
  readonly isolation: 'per-path' | 'shared';
  readonly acquired: FakeApi[] = [];
  /** The most APIs alive (acquired, not released) at one time. */
  maxAlive = 0;
  /** How many of the next acquires fail as an API that exits while booting would. */
  failStarts = 0;
  #alive = 0;
  readonly #world: FakeWorld;

  constructor(world: FakeWorld, options: FakeTargetOptions = {}) {
    this.#world = world;
    this.mode = options.mode ?? 'process';
    this.isolation = this.mode === 'shared' ? 'shared' : 'per-path';
  }

  get alive(): number {
    return this.#alive;
  }

  async acquire(databaseUrl: string, options: AcquireOptions): Promise<TargetInstance> {
    await tick();
    if (options.signal?.aborted)
      throw new TargetAbortedError(options.label, { cause: options.signal.reason });
    if (this.failStarts > 0) {
      this.failStarts -= 1;
      throw new TargetStartError(`The API for ${options.label} exited with code 1 while starting`, {
        label: options.label,
        logLines: ['Error: cannot find module ./app.js'],
      });
    }
    const boundTo = this.isolation === 'shared' ? this.#world.url(WORKING) : databaseUrl;
    const api = new FakeApi(this.acquired.length + 1, boundTo, options.label, () => {
      this.#alive -= 1;
    });
    this.acquired.push(api);
    this.#alive += 1;
    this.maxAlive = Math.max(this.maxAlive, this.#alive);
    this.#world.registerApi(api);
    return api;
  }

  /** The APIs not released yet: a finished run must leave none. */
  unreleased(): FakeApi[] {
    return this.acquired.filter((api) => !api.released);
  }
}
