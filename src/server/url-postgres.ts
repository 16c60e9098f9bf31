import { redactUrl } from '../redaction/index.js';
import { messageOf } from '../errors/venomqa-error.js';
import { PostgresUnavailableError } from './server-errors.js';
import { postgresServer, type PostgresServer } from './postgres-server.js';
import { parsePostgresUrl } from './postgres-url.js';
import { PostgresNotReadyError } from './server-errors.js';
import { waitForPostgres } from './wait-for-postgres.js';
import { ServerConnectionError } from './connection-errors.js';

/**
 * A server that already runs somewhere a URL points. We check that it answers, and never stop
 * it: it is not ours.
 */
export async function connectUrlPostgres(
  url: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<PostgresServer> {
  try {
    // Only to reject a malformed URL with a clear error before trying to connect.
    parsePostgresUrl(url);
  } catch (error) {
    throw new PostgresUnavailableError(`'${redactUrl(url)}' is not a valid PostgreSQL URL`, {
      cause: error,
      hint: 'Use the form postgresql://user:password@host:5432/database',
    });
  }
  let ready;
  try {
    ready = await waitForPostgres(url, {
      timeoutMs: options.timeoutMs ?? 5000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    // The typed error of the last attempt says best what is wrong (refused, wrong password, …).
    if (error instanceof ServerConnectionError) throw error;
    if (error instanceof PostgresNotReadyError && error.cause instanceof ServerConnectionError) {
      throw error.cause;
    }
    throw new PostgresUnavailableError(
      `PostgreSQL at ${redactUrl(url)} did not answer: ${messageOf(error)}`,
      {
        cause: error,
        hint: 'Check db_url / VENOMQA_DB_URL, or run `venomqa db up` for a managed one.',
      },
    );
  }
  // Not ours: stopping it is a no-op.
  return postgresServer({
    provider: 'url',
    adminUrl: url,
    ready,
    id: undefined,
    logs: () => Promise.resolve([]),
    stop: () => Promise.resolve(),
  });
}
