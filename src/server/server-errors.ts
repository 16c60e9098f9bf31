import { logTailText } from '../errors/error-text.js';
import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, type VenomQAErrorOptions } from '../errors/venomqa-error.js';

/** A PostgreSQL server we started did not become ready; the message carries its last log lines. */
export class PostgresStartError extends VenomQAError {
  readonly code = 'VENOMQA_POSTGRES_START_FAILED';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
  readonly logLines: readonly string[];

  constructor(message: string, logLines: readonly string[], options: VenomQAErrorOptions = {}) {
    super(`${message}${logTailText(logLines)}`, options);
    this.logLines = logLines;
  }
}

/** A PostgreSQL server given by URL does not answer `SELECT 1`. */
export class PostgresUnavailableError extends VenomQAError {
  readonly code = 'VENOMQA_POSTGRES_UNAVAILABLE';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
}

/** The settings cannot describe a server (for example provider `url` without `db_url`). */
export class ServerConfigError extends VenomQAError {
  readonly code = 'VENOMQA_SERVER_CONFIG_INVALID';
  readonly exitCode = ExitCode.Usage;
}

/**
 * A server did not answer a query in time, or went away while we waited (`waitForPostgres`).
 * Callers that started the server wrap it in {@link PostgresStartError} with its log lines.
 */
export class PostgresNotReadyError extends VenomQAError {
  readonly code = 'VENOMQA_POSTGRES_NOT_READY';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
}

/** `venomqa db up` found state it cannot reconcile (for example a cluster whose password is lost). */
export class ManagedDatabaseError extends VenomQAError {
  readonly code = 'VENOMQA_MANAGED_DB_CONFLICT';
  readonly exitCode = ExitCode.Usage;
}
