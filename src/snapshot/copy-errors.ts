import type pg from 'pg';
import { messageOf } from '../errors/venomqa-error.js';
import { SQLSTATE, isInsufficientResources, sqlState } from './postgres-error-codes.js';
import { blockingSessions } from './session-drain.js';
import {
  CreateDatabasePrivilegeError,
  DatabaseInUseError,
  DatabaseNotFoundError,
  DiskFullError,
} from './snapshot-errors.js';

/**
 * The typed error for a failed `CREATE DATABASE target TEMPLATE source`, by SQLSTATE: someone
 * connected to the source (naming who), no CREATEDB, no such source, disk full (with the size
 * needed). Anything else is returned as it is.
 */
export async function copyError(
  client: pg.ClientBase,
  error: unknown,
  target: string,
  source: string,
): Promise<unknown> {
  const code = sqlState(error);
  if (code === SQLSTATE.objectInUse) {
    const sessions = await blockingSessions(client, source).catch(() => []);
    return new DatabaseInUseError(source, sessions, { cause: error });
  }
  if (code === SQLSTATE.insufficientPrivilege) {
    return new CreateDatabasePrivilegeError(
      `The role cannot create databases (CREATE DATABASE ${target} failed: ${messageOf(error)})`,
      {
        cause: error,
        hint: 'Grant it CREATEDB (ALTER ROLE … CREATEDB), or use `strategy: savepoint`, which needs no new databases.',
      },
    );
  }
  if (code === SQLSTATE.invalidCatalogName) {
    return new DatabaseNotFoundError(`Cannot copy '${source}': no such database`, {
      cause: error,
    });
  }
  if (isInsufficientResources(error)) {
    const size = await client
      .query<{ size: string }>('select pg_size_pretty(pg_database_size($1)) as size', [source])
      .then((r) => r.rows[0]?.size ?? 'unknown')
      .catch(() => 'unknown');
    return new DiskFullError(
      `The server ran out of resources copying '${source}' (${size} needed): ${messageOf(error)}`,
      {
        cause: error,
        hint: 'Free disk space on the server, drop old snapshots (`venomqa snapshot list`), or run `venomqa prune`.',
      },
    );
  }
  return error;
}

/** PostgreSQL 18 reports a filesystem without reflinks as a file access error on clone. */
export function isCloneUnsupported(error: unknown): boolean {
  const code = sqlState(error);
  // 0A000 feature_not_supported, 58030 io_error, XX000 from errcode_for_file_access, 22023 bad value.
  return (
    code === '0A000' || code === '58030' || code === 'XX000' || code === '22023' || code === '42704'
  );
}
