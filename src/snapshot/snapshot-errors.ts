import { closestName } from '../errors/closest-name.js';
import { notFoundText } from '../errors/error-text.js';
import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, type VenomQAErrorOptions } from '../errors/venomqa-error.js';

/** A snapshot or database name that venomqa refuses (never silently truncated or quoted away). */
export class InvalidNameError extends VenomQAError {
  readonly code = 'VENOMQA_INVALID_NAME';
  readonly exitCode = ExitCode.Usage;
}

/** No snapshot by that name; the message lists the ones that exist and the nearest name. */
export class SnapshotNotFoundError extends VenomQAError {
  readonly code = 'VENOMQA_SNAPSHOT_NOT_FOUND';
  readonly exitCode = ExitCode.Usage;
  readonly snapshot: string;
  readonly existing: readonly string[];

  constructor(snapshot: string, existing: readonly string[], options: VenomQAErrorOptions = {}) {
    const text = notFoundText({
      kind: 'Snapshot',
      name: snapshot,
      existing,
      existingAs: 'existing snapshots',
      suggestion: closestName(snapshot, existing),
    });
    super(text, {
      hint: 'List them with `venomqa snapshot list`; create one with `venomqa snapshot create <name>`.',
      ...options,
    });
    this.snapshot = snapshot;
    this.existing = existing;
  }
}

/** A snapshot by that name exists already (also what the loser of two concurrent creates gets). */
export class SnapshotExistsError extends VenomQAError {
  readonly code = 'VENOMQA_SNAPSHOT_EXISTS';
  readonly exitCode = ExitCode.Usage;
}

/** The database to read or replace does not exist. */
export class DatabaseNotFoundError extends VenomQAError {
  readonly code = 'VENOMQA_DATABASE_NOT_FOUND';
  readonly exitCode = ExitCode.Usage;
}

/** A session connected to the database could not be ended, so it cannot be copied or replaced. */
export interface BlockingSession {
  pid: number;
  user: string | null;
  application: string | null;
  clientAddress: string | null;
}

export class DatabaseInUseError extends VenomQAError {
  readonly code = 'VENOMQA_DATABASE_IN_USE';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
  readonly database: string;
  readonly sessions: readonly BlockingSession[];

  constructor(
    database: string,
    sessions: readonly BlockingSession[],
    options: VenomQAErrorOptions = {},
  ) {
    const who = sessions
      .map(
        (s) =>
          `pid ${s.pid} (user ${s.user ?? '?'}, application '${s.application ?? ''}', client ${s.clientAddress ?? 'local socket'})`,
      )
      .join('; ');
    super(
      `Database '${database}' is in use and its sessions could not be ended: ${who || 'unknown sessions'}`,
      {
        hint:
          'Stop the clients connected to it, or connect venomqa as a role allowed to end them ' +
          '(superuser or a member of pg_signal_backend).',
        ...options,
      },
    );
    this.database = database;
    this.sessions = sessions;
  }
}

/** The role cannot create databases; template clones need CREATEDB. */
export class CreateDatabasePrivilegeError extends VenomQAError {
  readonly code = 'VENOMQA_CREATEDB_REQUIRED';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
}

/** The server ran out of disk (SQLSTATE class 53) while copying. */
export class DiskFullError extends VenomQAError {
  readonly code = 'VENOMQA_DISK_FULL';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
}

/** A destructive operation on a database venomqa must not touch. */
export class ProtectedDatabaseError extends VenomQAError {
  readonly code = 'VENOMQA_PROTECTED_DATABASE';
  readonly exitCode = ExitCode.Usage;
}

/** No clone was kept for that path (`venomqa diff --path`, `db psql --path`); lists the kept ones. */
export class KeptCloneNotFoundError extends VenomQAError {
  readonly code = 'VENOMQA_KEPT_CLONE_NOT_FOUND';
  readonly exitCode = ExitCode.Usage;

  constructor(path: string, kept: readonly string[], options: VenomQAErrorOptions = {}) {
    super(
      notFoundText({
        kind: 'Kept clone of failed path',
        name: path,
        existing: kept,
        existingAs: 'kept for',
        suggestion: closestName(path, kept),
      }),
      {
        hint: 'Name the path as the report does (journey/path/nested). Clones of failed paths are kept with keep_failed: true or `venomqa run --keep-failed` on the managed `venomqa db` (a server started for one run takes its clones with it), until `venomqa prune` drops them.',
        ...options,
      },
    );
  }
}
