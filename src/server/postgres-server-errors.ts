import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError } from '../errors/venomqa-error.js';

/** A PostgreSQL server we started did not become ready; the message carries its last log lines. */
export class PostgresStartError extends VenomQAError {
  readonly code = 'VENOMQA_POSTGRES_START_FAILED';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
  readonly logLines: readonly string[];

  constructor(
    message: string,
    logLines: readonly string[],
    options: { cause?: unknown; hint?: string } = {},
  ) {
    const logs = logLines.length
      ? `\nLast log lines:\n${logLines.map((l) => `  ${l}`).join('\n')}`
      : '';
    super(`${message}${logs}`, options);
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
