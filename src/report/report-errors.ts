import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError } from '../errors/venomqa-error.js';

/** A report file or its directory could not be written. */
export class ReportWriteError extends VenomQAError {
  readonly code = 'VENOMQA_REPORT_WRITE_FAILED';
  readonly exitCode = ExitCode.Usage;
}

/** A report to read (`venomqa merge-reports`, `--shard-durations`) is missing or not venomqa's. */
export class ReportReadError extends VenomQAError {
  readonly code = 'VENOMQA_REPORT_READ_FAILED';
  readonly exitCode = ExitCode.Usage;
}

/** Shard reports that cannot be one run's: different shard counts, or one shard twice. */
export class ReportMergeError extends VenomQAError {
  readonly code = 'VENOMQA_REPORT_MERGE_FAILED';
  readonly exitCode = ExitCode.Usage;
}
