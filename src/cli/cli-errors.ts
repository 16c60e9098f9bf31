import { ExitCode, VenomQAError } from '../errors/index.js';

/** No database to work on: neither db_url nor a running `venomqa db up`. */
export class NoDatabaseError extends VenomQAError {
  readonly code = 'VENOMQA_NO_DATABASE';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
}

/** A destructive verb ran without a terminal to confirm on and without --force. */
export class ConfirmationRequiredError extends VenomQAError {
  readonly code = 'VENOMQA_CONFIRMATION_REQUIRED';
  readonly exitCode = ExitCode.Usage;
}
