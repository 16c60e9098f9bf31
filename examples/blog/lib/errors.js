/**
 * An error the API answers with its own status and message (`{"error": message}`); anything
 * else thrown by a route is a 500 whose details stay in the log.
 */
export class HttpError extends Error {
  constructor(statusCode, message) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
  }
}

export const badRequest = (message) => new HttpError(400, message);
export const unauthorized = (message) => new HttpError(401, message);
export const forbidden = (message) => new HttpError(403, message);
export const notFound = (message) => new HttpError(404, message);
export const conflict = (message) => new HttpError(409, message);

/**
 * SQLSTATEs and socket errors that mean the database could not be reached or the session was
 * ended under the query, not that the query was wrong: the API answers 503 and the next request
 * gets a new connection. venomqa ends the API's sessions (57P01), refuses connections (55000)
 * and renames the database away (3D000) for a few milliseconds whenever it swaps the database.
 */
const UNAVAILABLE = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '08000',
  '08001',
  '08003',
  '08006', // connection_failure
  '3D000', // invalid_catalog_name: the database is being swapped
  '53300', // too_many_connections
  '55000', // object_not_in_prerequisite_state: ALLOW_CONNECTIONS false
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

export function isDatabaseUnavailable(error) {
  return (
    UNAVAILABLE.has(error?.code) ||
    // Knex gave up waiting for a pooled connection.
    error?.name === 'KnexTimeoutError' ||
    // node-postgres reports a socket closed under a query without a code.
    /Connection terminated|not queryable/.test(error?.message ?? '')
  );
}

/** PostgreSQL's unique_violation: a concurrent request inserted the same key first. */
export const isUniqueViolation = (error) => error?.code === '23505';
