import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError } from '../errors/venomqa-error.js';

/** A report file or its directory could not be written. */
export class ReportWriteError extends VenomQAError {
  readonly code = 'VENOMQA_REPORT_WRITE_FAILED';
  readonly exitCode = ExitCode.Usage;
}
