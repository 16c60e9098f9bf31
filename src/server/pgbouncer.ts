import { setTimeout as sleep } from 'node:timers/promises';
import createDebug from 'debug';
import pg from 'pg';
import { messageOf } from '../errors/venomqa-error.js';
import type { ConnectionGate } from './connection-gate.js';
import { PgBouncerError } from './pgbouncer-errors.js';
import type { PgBouncerProcess } from './pgbouncer-process.js';
import { formatPostgresUrl, type PostgresAddress } from './postgres-url.js';

const debug = createDebug('venomqa:server:pgbouncer');

interface Held {
  client: pg.PoolClient;
  paused: Promise<boolean>;
}

/**
 * A PgBouncer in front of a PostgreSQL server, in transaction pooling, as the connection gate of
 * the snapshot engine: APIs connect through {@link PgBouncer.urlFor}, and during a swap their
 * database is paused, so their queries wait for the new database instead of failing and their
 * connections (to PgBouncer) are never ended. Start one with `startPgBouncer`.
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
  readonly #poolSize: number;
  readonly #held = new Map<string, Held>();
  /** Holds under way that need PgBouncer to open no server connection (see #withLaunchesStopped). */
  #launchStoppers = 0;
  #poolSizeSet: Promise<void> = Promise.resolve();

  constructor(
    process: PgBouncerProcess,
    address: PostgresAddress,
    port: number,
    settings: { holdWaitMs: number; poolSize: number },
  ) {
    this.#process = process;
    this.#address = address;
    this.port = port;
    this.#holdWaitMs = settings.holdWaitMs;
    this.#poolSize = settings.poolSize;
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
    const pause = `pause ${quoteForConsole(database)}`;
    const client = await this.#connectAdmin();
    try {
      await this.#withLaunchesStopped(async () => {
        await this.#waitForLogins(client, database);
        const paused = client.query(pause).then(
          () => true,
          (error: unknown) => {
            throw new PgBouncerError(
              `PgBouncer could not pause '${database}': ${messageOf(error)}`,
              [],
              { cause: error },
            );
          },
        );
        this.#held.set(database, { client, paused });
        // Not done in time: a client holds a transaction open; the drain ends it, PAUSE follows.
        await within(paused, this.#holdWaitMs);
      });
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

  /**
   * Run `work` (a PAUSE) while PgBouncer opens no new server connection, and after those being
   * opened have logged in. PAUSE closes a connection that is still logging in; PgBouncer counts
   * that as a failed login, and until its next login succeeds it turns clients away with
   * "server login has been failing" (08P01) instead of letting them wait. With four APIs busy
   * through back-to-back swaps, 11 of 100 first requests failed that way. PgBouncer has no
   * per-database switch for it, so the default pool size is 1 for those milliseconds: a pool
   * that has a server connection opens no other (0 would mean no limit at all), and clients of
   * other databases that need a new one meanwhile wait, they do not fail. min_pool_size is no
   * help: PgBouncer keeps opening connections to a paused database to reach it, and PAUSE keeps
   * cutting them.
   */
  async #withLaunchesStopped<T>(work: () => Promise<T>): Promise<T> {
    if (this.#launchStoppers++ === 0) this.#poolSizeSet = this.#setPoolSize(1);
    try {
      await this.#poolSizeSet;
      return await work();
    } finally {
      if (--this.#launchStoppers === 0) this.#poolSizeSet = this.#setPoolSize(this.#poolSize);
      await this.#poolSizeSet;
    }
  }

  /** SET default_pool_size, in the order asked for. */
  #setPoolSize(size: number): Promise<void> {
    return this.#poolSizeSet
      .catch(() => undefined)
      .then(async () => {
        try {
          await this.#admin.query(`set default_pool_size = ${size}`);
        } catch (error) {
          throw new PgBouncerError(
            `PgBouncer did not take default_pool_size = ${size}: ${messageOf(error)}`,
            await this.logs(10),
            { cause: error, hint: 'Stop the run: its PgBouncer may not open new connections.' },
          );
        }
      });
  }

  /** Wait (up to the hold wait) until no server connection of `database` is logging in. */
  async #waitForLogins(client: pg.PoolClient, database: string): Promise<void> {
    const deadline = Date.now() + this.#holdWaitMs;
    for (;;) {
      const { rows } = await client.query<{ database: string; sv_login: string }>('show pools');
      const loggingIn = rows
        .filter((row) => row.database === database)
        .reduce((sum, row) => sum + Number(row.sv_login), 0);
      if (loggingIn === 0 || Date.now() > deadline) return;
      await sleep(2);
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
