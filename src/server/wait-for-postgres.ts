import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { messageOf } from '../errors/venomqa-error.js';
import { ServerConnectionError } from './connection-errors.js';
import { isTransientConnectionFailure } from './connection-failure.js';
import { openPgClient } from './open-pg-client.js';
import { PostgresNotReadyError } from './server-errors.js';

export interface ServerVersion {
  /** `server_version`, e.g. `17.6 (Debian 17.6-1)`. */
  version: string;
  /** `server_version_num`, e.g. `170006`; compare against this, never against text. */
  versionNum: number;
}

export interface WaitForPostgresOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Checked between attempts: a reason string ends the wait at once (the server died). */
  isGone?: () => Promise<string | undefined>;
}

/**
 * Run one query on a fresh connection and close it. A connection that cannot be made fails
 * with the typed error of its situation (refused, host not found, wrong password, …).
 */
export async function queryOnce<Row extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
  connectTimeoutMs = 5000,
): Promise<Row[]> {
  // A server shutting down mid-query emits 'error' on the client; openPgClient listens for it.
  const client = await openPgClient(url, { connectTimeoutMs });
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Wait until a real query over TCP succeeds. A socket that accepts connections is not enough:
 * images run initialisation scripts on a temporary server first and restart it.
 */
export async function waitForPostgres(
  url: string,
  options: WaitForPostgresOptions,
): Promise<ServerVersion> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  let delay = 50;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      const rows = await queryOnce<{ version: string; num: string }>(
        url,
        "select current_setting('server_version') as version, current_setting('server_version_num') as num",
        [],
        Math.max(500, Math.min(3000, deadline - Date.now())),
      );
      const row = rows[0];
      if (row) return { version: row.version, versionNum: Number(row.num) };
    } catch (error) {
      lastError = error;
      // A wrong password or an unknown host does not get better by waiting.
      if (error instanceof ServerConnectionError && !isTransientConnectionFailure(error)) {
        throw error;
      }
    }
    const gone = await options.isGone?.();
    if (gone) throw new PostgresNotReadyError(gone, { cause: lastError });
    if (Date.now() >= deadline) {
      throw new PostgresNotReadyError(
        `no successful query within ${Math.round(options.timeoutMs / 1000)} s (last error: ${messageOf(lastError)})`,
        { cause: lastError },
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 500);
  }
}
