import type { AcquireOptions, Target, TargetInstance } from './target.js';

export interface SharedTargetOptions {
  /** Where the one running API listens (`base_url`). */
  baseUrl: string;
}

/**
 * An API that venomqa does not start (`api.mode: shared`): every path talks to `baseUrl`,
 * whatever database URL it was given. The API keeps its own database connection, so the runner
 * restores that database in place between paths and runs them one at a time.
 *
 * @example
 * ```ts
 * const target = new SharedTarget({ baseUrl: 'http://localhost:8000' });
 * const api = await target.acquire(databaseUrl, { label: 'checkout/pay' });
 * api.baseUrl; // 'http://localhost:8000'
 * ```
 */
export class SharedTarget implements Target {
  readonly mode = 'shared';
  readonly isolation = 'shared';
  readonly baseUrl: string;

  constructor(options: SharedTargetOptions) {
    this.baseUrl = options.baseUrl;
  }

  acquire(_databaseUrl: string, _options: AcquireOptions): Promise<TargetInstance> {
    return Promise.resolve({
      baseUrl: this.baseUrl,
      // Its output goes wherever whoever started it sends it.
      logs: () => Promise.resolve([]),
      release: () => Promise.resolve(),
    });
  }
}
