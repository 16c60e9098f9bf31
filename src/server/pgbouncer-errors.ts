import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, type VenomQAErrorOptions } from '../errors/venomqa-error.js';

export const INSTALL_PGBOUNCER_HINT =
  'Install PgBouncer (Debian/Ubuntu: apt-get install pgbouncer; it is in the venomqa/postgres ' +
  'image already), or set server.pooler: none.';

/** PgBouncer could not be started, or did not answer its admin console. */
export class PgBouncerError extends VenomQAError {
  readonly code = 'VENOMQA_PGBOUNCER_FAILED';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
  readonly logLines: readonly string[];

  constructor(
    message: string,
    logLines: readonly string[] = [],
    options: VenomQAErrorOptions = {},
  ) {
    const logs = logLines.length
      ? `\nLast log lines:\n${logLines.map((l) => `  ${l}`).join('\n')}`
      : '';
    super(`${message}${logs}`, options);
    this.logLines = logLines;
  }
}
