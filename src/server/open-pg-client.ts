import pg from 'pg';
import type { ConnectionTarget } from './connection-errors.js';
import { connectionFailure, connectionTimeout } from './connection-failure.js';
import { pgConnectionConfig } from './pg-connection-config.js';

export interface OpenPgClientOptions {
  /** Shown in `pg_stat_activity.application_name`. */
  applicationName?: string;
  /** How long connecting may take. Default 10 s. */
  connectTimeoutMs?: number;
  /** What the connection is for, named in errors (`venomqa's admin connection`). */
  purpose?: string;
  /**
   * The client's `'error'` listener (an idle client whose server goes away emits `'error'`;
   * without a listener Node crashes). Default: ignore.
   */
  onError?: (error: Error) => void;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * A connected node-postgres client for `url`: `sslmode` read as libpq does (see
 * {@link pgConnectionConfig}), an `'error'` listener attached before connecting, and a failed
 * connect turned into the typed error of its situation (refused, host not found, timeout,
 * wrong password, no such database, TLS, too many connections, permission denied), whose hint
 * is the next command. Errors that are not about the environment are rethrown as they are.
 *
 * @example
 * ```ts
 * const client = await openPgClient(url, { applicationName: 'venomqa-admin' });
 * try {
 *   await client.query('select 1');
 * } finally {
 *   await client.end();
 * }
 * ```
 */
export async function openPgClient(
  url: string,
  options: OpenPgClientOptions = {},
): Promise<pg.Client> {
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const target = { url, kind: 'postgres' as const, purpose: options.purpose };
  const config = await pgConnectionConfig(url, {
    connectTimeoutMs: timeoutMs,
    ...(options.applicationName === undefined ? {} : { applicationName: options.applicationName }),
    ...(options.purpose === undefined ? {} : { purpose: options.purpose }),
  });
  const client = new pg.Client(config);
  client.on('error', options.onError ?? (() => undefined));
  const limitMs = config.connectionTimeoutMillis ?? timeoutMs;
  const started = performance.now();
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    const translated = connectionFailure(error, target);
    if (translated !== undefined) throw translated;
    // node-postgres' own connect timeout carries no code: the time spent is what tells it.
    if (performance.now() - started >= limitMs * 0.95) throw connectionTimeout(target, error);
    throw error;
  }
  return client;
}

export interface CreatePgPoolOptions extends Omit<OpenPgClientOptions, 'onError'> {
  max?: number;
  /** The pool's `'error'` listener (an idle client was terminated). Default: ignore. */
  onError?: (error: Error) => void;
}

/**
 * A node-postgres pool for `url` with `sslmode` read as libpq does and an `'error'` listener
 * attached. Connections are opened lazily: open one client with {@link openPgClient} first
 * when a failure should be reported as its typed error.
 */
export async function createPgPool(
  url: string,
  options: CreatePgPoolOptions = {},
): Promise<pg.Pool> {
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const config = await pgConnectionConfig(url, {
    connectTimeoutMs: timeoutMs,
    ...(options.applicationName === undefined ? {} : { applicationName: options.applicationName }),
    ...(options.purpose === undefined ? {} : { purpose: options.purpose }),
  });
  const pool = new TranslatingPool(
    { ...config, ...(options.max === undefined ? {} : { max: options.max }) },
    { url, kind: 'postgres', purpose: options.purpose },
  );
  const onError = options.onError ?? (() => undefined);
  pool.on('error', onError);
  // The pool listens on idle clients only: a checked-out client the server ends between two
  // queries (a crash, a PANIC on a full disk) emits 'error' with nobody listening, which ends
  // the process. Its next query fails instead, as the typed error of the situation.
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}

/**
 * A pool whose `connect()` (the promise form) fails with the typed error of the situation, as
 * {@link openPgClient} does: a server that went away or ran out of slots mid-run (53300 while
 * parallel paths clone) is an environment error, not a bug.
 */
class TranslatingPool extends pg.Pool {
  readonly #target: ConnectionTarget;

  constructor(config: pg.PoolConfig, target: ConnectionTarget) {
    super(config);
    this.#target = target;
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (
      err: Error | undefined,
      client: pg.PoolClient | undefined,
      done: (release?: unknown) => void,
    ) => void,
  ): void;
  override connect(
    callback?: (
      err: Error | undefined,
      client: pg.PoolClient | undefined,
      done: (release?: unknown) => void,
    ) => void,
  ): Promise<pg.PoolClient> | void {
    if (callback !== undefined) {
      super.connect(callback);
      return;
    }
    return super.connect().catch((error: unknown) => {
      throw connectionFailure(error, this.#target) ?? error;
    });
  }
}
