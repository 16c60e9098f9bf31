/**
 * The API under test for one path. `baseUrl` is where the path's HTTP client sends requests;
 * `release()` stops whatever `acquire` started and may be called any number of times.
 */
export interface TargetInstance {
  readonly baseUrl: string;
  /**
   * The URL that answers 2xx while the API serves (`api.health`); absent for a shared API. The
   * runner asks it again after swapping a slot's database, before the next path's first step.
   */
  readonly healthUrl?: string;
  /** Why the instance stopped (`exited with code 1`), or undefined while it runs. */
  stopped?(): Promise<string | undefined>;
  /** The last `count` lines the API wrote (stdout and stderr); empty for a shared API. */
  logs(count: number): Promise<string[]>;
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** Names the instance in logs, container names and errors (`order_created/pay_by_card`). */
  label: string;
  /** Aborts a start that is still waiting for health (fail_fast, Ctrl-C). */
  signal?: AbortSignal;
}

/**
 * Where the API under test comes from, one instance per path (`process`, `docker`) or one API
 * shared by every path (`shared`).
 */
export interface Target {
  readonly mode: 'shared' | 'process' | 'docker';
  /**
   * `per-path`: every acquire starts a new API bound to the database URL it is given, so paths
   * can run at once on their own clones. `shared`: the same API whatever the URL; the runner
   * restores its database in place between paths and runs them one at a time.
   */
  readonly isolation: 'per-path' | 'shared';
  acquire(databaseUrl: string, options: AcquireOptions): Promise<TargetInstance>;
  /** Releases anything the target keeps between acquires (a built image is kept). */
  dispose?(): Promise<void>;
}
