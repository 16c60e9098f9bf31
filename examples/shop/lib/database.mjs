import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * SQLSTATEs of a session that was killed or a socket that broke: the statement did not fail on
 * its own merits, so it may succeed on another connection. venomqa terminates a database's
 * sessions (57P01) whenever it snapshots or restores it.
 */
const CONNECTION_LOST = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08006',
  '08003',
  'ECONNRESET',
  'EPIPE',
]);

/** Errors that mean no working connection could be had: the API answers 503, not 500. */
const UNAVAILABLE = new Set([
  ...CONNECTION_LOST,
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '3D000', // the database does not exist (dropped or being swapped by a restore)
  '53300', // too_many_connections
  '55000', // ALLOW_CONNECTIONS false while a snapshot is being taken
]);

export function isConnectionLost(error) {
  return (
    CONNECTION_LOST.has(error?.code) ||
    // node-postgres reports a socket closed under it without a code.
    /Connection terminated|not queryable/.test(error?.message ?? '')
  );
}

export function isDatabaseUnavailable(error) {
  return (
    UNAVAILABLE.has(error?.code) ||
    isConnectionLost(error) ||
    /timeout exceeded when trying to connect/.test(error?.message ?? '')
  );
}

export function createPool(connectionString, log) {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    // A request waits at most this long for a connection, then gets a 503.
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 10_000,
  });
  // An idle client whose session is terminated emits 'error' through the pool; without a
  // listener that crashes the process. The pool has already dropped the client by then, and
  // opens a new one on the next request.
  pool.on('error', (error) => log.error(`idle database connection lost: ${error.message}`));
  return pool;
}

/**
 * A client checked out of the pool has no 'error' listener, and one whose connection dies emits
 * 'error' even when a query also fails with it: without a listener that crashes the process.
 * The failed query (or the next one) reports the loss, so the event itself can be ignored.
 * Returns the function that removes the listener, to call right before `release()`.
 */
export function listenForConnectionLoss(client) {
  const ignore = () => undefined;
  client.on('error', ignore);
  return () => client.removeListener('error', ignore);
}

const statementNames = new Map();

/**
 * A named query: each connection parses and plans it once and then reuses the plan, which
 * halves the time of the API's larger statements. Names derive from the text, which is always
 * a constant here (values travel as parameters).
 */
export function prepared(text, values) {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `shop_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    statementNames.set(text, name);
  }
  return { name, text, values };
}

/** The pool, with statements retried once when their connection was killed under them. */
export class Database {
  #pool;
  #log;

  constructor(pool, log) {
    this.#pool = pool;
    this.#log = log;
  }

  query(text, params) {
    return this.#retryingOnce(() => this.#pool.query(prepared(text, params)));
  }

  /** Run `work(client)` inside BEGIN/COMMIT; a thrown error rolls back. */
  transaction(work) {
    return this.#retryingOnce(async () => {
      const client = await this.#pool.connect();
      const stopListening = listenForConnectionLoss(client);
      try {
        await client.query('begin');
        const result = await work(client);
        await client.query('commit');
        stopListening();
        client.release();
        return result;
      } catch (error) {
        // A client whose rollback fails is broken: destroy it rather than pool it again.
        const rollbackError = await client.query('rollback').then(
          () => undefined,
          (e) => e,
        );
        stopListening();
        client.release(rollbackError);
        throw error;
      }
    });
  }

  // pg's pool destroys a client whose query failed, so the second attempt gets another one.
  // A session killed mid-statement rolled it back, so running it again is safe; only a
  // connection lost after the server committed would repeat work, and venomqa terminates
  // sessions while the API is idle, not mid-request.
  async #retryingOnce(operation) {
    try {
      return await operation();
    } catch (error) {
      if (!isConnectionLost(error)) throw error;
      this.#log.error(`database connection lost (${error.code ?? error.message}); retrying once`);
      return operation();
    }
  }
}
