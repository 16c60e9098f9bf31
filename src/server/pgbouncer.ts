import { setTimeout as sleep } from 'node:timers/promises';
import type Docker from 'dockerode';
import createDebug from 'debug';
import pg from 'pg';
import { messageOf } from '../errors/venomqa-error.js';
import type { ConnectionGate } from '../snapshot/connection-gate.js';
import { findFreePort } from './free-port.js';
import { renderAuthFile, renderPgBouncerIni } from './pgbouncer-config.js';
import { PgBouncerError } from './pgbouncer-errors.js';
import { spawnLocalPgBouncer } from './pgbouncer-local.js';
import type { PgBouncerProcess } from './pgbouncer-process.js';
import { execPgBouncerInContainer } from './pgbouncer-docker.js';
import type { PostgresServer } from './postgres-server.js';
import { formatPostgresUrl, parsePostgresUrl, type PostgresAddress } from './postgres-url.js';
import { findDockerDaemon } from '../docker/find-docker-daemon.js';

const debug = createDebug('venomqa:server:pgbouncer');

export interface PgBouncerOptions {
  /** Admin URL of the PostgreSQL server to put PgBouncer in front of (its user and password). */
  serverUrl: string;
  /**
   * The server, when venomqa started it: a Docker server on host networking gets PgBouncer
   * inside its own container (the venomqa/postgres image has it), so nothing is installed on
   * the host. Any other server gets a local `pgbouncer` process.
   */
  server?: Pick<PostgresServer, 'provider' | 'id'>;
  /** Port to listen on (127.0.0.1); null or omitted picks a free one. */
  port?: number | null;
  /** The pgbouncer executable; default: on PATH, or in /usr/sbin. */
  binary?: string;
  /**
   * Server connections per database (default 5; transaction pooling shares them among all the
   * API's connections). Fewer make the swap window shorter: PAUSE waits for each one's
   * transaction, and each is a backend to end and start again.
   */
  poolSize?: number;
  /**
   * How long `hold` waits for PAUSE to finish before the swap goes on and its drain ends the
   * session that holds PAUSE up (a client idle in an open transaction). Default 1000 ms.
   */
  holdWaitMs?: number;
  startupTimeoutMs?: number;
}

interface Held {
  client: pg.PoolClient;
  paused: Promise<boolean>;
}

/**
 * A PgBouncer in front of a PostgreSQL server, in transaction pooling, as the connection gate of
 * the snapshot engine: APIs connect through {@link PgBouncer.urlFor}, and during a swap their
 * database is paused, so their queries wait for the new database instead of failing and their
 * connections (to PgBouncer) are never ended. Start one with {@link startPgBouncer}.
 *
 * Transaction pooling has the usual limits: session state (SET, advisory locks, LISTEN,
 * session-level prepared statements) does not outlive a transaction.
 */
export class PgBouncer implements ConnectionGate, AsyncDisposable {
  readonly port: number;
  readonly #process: PgBouncerProcess;
  readonly #address: PostgresAddress;
  readonly #admin: pg.Pool;
  readonly #holdWaitMs: number;
  readonly #held = new Map<string, Held>();

  constructor(
    process: PgBouncerProcess,
    address: PostgresAddress,
    port: number,
    holdWaitMs: number,
  ) {
    this.#process = process;
    this.#address = address;
    this.port = port;
    this.#holdWaitMs = holdWaitMs;
    this.#admin = new pg.Pool({ connectionString: this.urlFor('pgbouncer'), max: 16 });
    this.#admin.on('error', (error) => debug('admin console error: %s', error.message));
  }

  /** The URL an API uses for `database` through PgBouncer (the server's user and password). */
  urlFor(database: string): string {
    return formatPostgresUrl({ ...this.#address, host: '127.0.0.1', port: this.port, database });
  }

  /** PgBouncer's last log lines. */
  async logs(count = 50): Promise<string[]> {
    return this.#process.logs(count);
  }

  async hold(database: string): Promise<void> {
    if (this.#held.has(database)) {
      throw new PgBouncerError(`Database '${database}' is held by PgBouncer already`);
    }
    const client = await this.#connectAdmin();
    const paused = client.query(`pause ${quoteForConsole(database)}`).then(
      () => true,
      (error: unknown) => {
        throw new PgBouncerError(
          `PgBouncer could not pause '${database}': ${messageOf(error)}`,
          [],
          {
            cause: error,
          },
        );
      },
    );
    this.#held.set(database, { client, paused });
    try {
      // Not done in time: a client holds a transaction open; the drain ends it, PAUSE follows.
      await within(paused, this.#holdWaitMs);
    } catch (error) {
      this.#held.delete(database);
      client.release(true);
      throw error;
    }
  }

  async release(database: string): Promise<void> {
    const held = this.#held.get(database);
    if (!held) return;
    this.#held.delete(database);
    const done = (await within(held.paused, this.#holdWaitMs).catch(() => false)) === true;
    try {
      if (done) {
        await held.client.query(`resume ${quoteForConsole(database)}`);
      } else {
        // PAUSE is still waiting on the held client: resume from another one, which ends it.
        const other = await this.#connectAdmin();
        try {
          await other.query(`resume ${quoteForConsole(database)}`);
        } finally {
          other.release();
        }
      }
    } catch (error) {
      throw new PgBouncerError(
        `PgBouncer could not resume '${database}': ${messageOf(error)}`,
        await this.logs(10),
        { cause: error, hint: 'Its clients wait until it is resumed: run RESUME on its console.' },
      );
    } finally {
      held.client.release(!done);
    }
  }

  /** Stop PgBouncer (its clients are disconnected) and remove its files. Idempotent. */
  async stop(): Promise<void> {
    await this.#admin.end().catch(() => undefined);
    await this.#process.stop();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  async #connectAdmin(): Promise<pg.PoolClient> {
    try {
      return await this.#admin.connect();
    } catch (error) {
      throw new PgBouncerError(
        `Cannot reach the console of ${this.#process.description} on port ${this.port}: ${messageOf(error)}`,
        await this.logs(10),
        { cause: error },
      );
    }
  }
}

/** `promise`'s value, or undefined once `ms` have passed (the timer does not outlive it). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  const controller = new AbortController();
  try {
    return await Promise.race([
      promise,
      sleep(ms, undefined, { signal: controller.signal }).catch(() => undefined),
    ]);
  } finally {
    controller.abort();
  }
}

/**
 * PgBouncer's console takes a database name as a word or in double quotes, without escapes:
 * a name with a double quote in it cannot be named there.
 */
function quoteForConsole(database: string): string {
  if (database.includes('"') || database.includes('\0')) {
    throw new PgBouncerError(
      `Database '${database}' cannot be paused by PgBouncer: its console cannot name it`,
      [],
      { hint: 'Use a database name without double quotes, or set server.pooler: none.' },
    );
  }
  return `"${database}"`;
}

/**
 * Start PgBouncer in front of the server at `options.serverUrl` and wait until its console
 * answers. Release it with `stop()` (or `await using`).
 *
 * @example
 * await using pooler = await startPgBouncer({ serverUrl: server.adminUrl });
 * const engine = await SnapshotEngine.open({ adminUrl: server.adminUrl, connectionGate: pooler });
 * startApi({ DATABASE_URL: pooler.urlFor(slot) });
 */
export async function startPgBouncer(options: PgBouncerOptions): Promise<PgBouncer> {
  const address = parsePostgresUrl(options.serverUrl);
  const port = options.port ?? (await findFreePort());
  const ini = renderPgBouncerIni({
    listenPort: port,
    serverHost: address.host,
    serverPort: address.port,
    user: address.user,
    authFile: '{dir}/users.txt',
    poolSize: options.poolSize ?? 5,
    maxClientConnections: 1000,
  });
  const container = await hostNetworkContainer(options.server);
  const process = container
    ? await execPgBouncerInContainer(container.docker, container.id, ini)
    : await spawnLocalPgBouncer(
        { 'pgbouncer.ini': ini, 'users.txt': renderAuthFile(address.user, address.password) },
        options.binary,
      );
  const pooler = new PgBouncer(process, address, port, options.holdWaitMs ?? 1000);
  try {
    await waitForConsole(pooler, process, options.startupTimeoutMs ?? 10_000);
    return pooler;
  } catch (error) {
    const logs = await pooler.logs(20);
    await pooler.stop();
    throw new PgBouncerError(`${process.description} did not start: ${messageOf(error)}`, logs, {
      cause: error,
    });
  }
}

/** The server's container, when it shares the host's network (so its ports are ours). */
async function hostNetworkContainer(
  server: PgBouncerOptions['server'],
): Promise<{ docker: Docker; id: string } | undefined> {
  if (server?.provider !== 'docker' || server.id === undefined) return undefined;
  const { docker } = await findDockerDaemon();
  const info = await docker.getContainer(server.id).inspect();
  return info.HostConfig.NetworkMode === 'host' ? { docker, id: server.id } : undefined;
}

async function waitForConsole(
  pooler: PgBouncer,
  process: PgBouncerProcess,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: pooler.urlFor('pgbouncer') });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('show version');
      return;
    } catch (error) {
      if (process.exited()) throw new Error('it exited', { cause: error });
      if (Date.now() > deadline) throw error;
    } finally {
      await client.end().catch(() => undefined);
    }
    await sleep(25);
  }
}
