import { ExitCode } from '../errors/exit-code.js';
import {
  VenomQAError,
  isVenomQAError,
  messageOf,
  type VenomQAErrorOptions,
} from '../errors/venomqa-error.js';
import type { RunResult } from '../result/run-result.js';
import { SERVER_LOST } from './server-lost.js';

/** A journey module could not be found, imported, or holds no journey. */
export class JourneyLoadError extends VenomQAError {
  readonly code = 'VENOMQA_JOURNEY_LOAD_FAILED';
  readonly exitCode = ExitCode.Usage;
}

/** `--shard` is not `i/n` with 1 <= i <= n. */
export class ShardSpecError extends VenomQAError {
  readonly code = 'VENOMQA_SHARD_INVALID';
  readonly exitCode = ExitCode.Usage;

  constructor(message: string, options: VenomQAErrorOptions = {}) {
    super(message, {
      hint: 'Give each CI job its own shard of the same count: `venomqa run --shard 1/4` … `--shard 4/4`.',
      ...options,
    });
  }
}

/**
 * The run's PostgreSQL server stopped answering while journeys ran (stopped, crashed, its
 * machine gone): the paths failed for that reason, not for the API's. Carries what ran (the
 * journeys after it skipped), so the reports can still be written.
 */
export class ServerLostError extends VenomQAError {
  readonly code = 'VENOMQA_SERVER_LOST';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
  readonly result: RunResult;

  constructor(journey: string, cause: unknown, result: RunResult) {
    super(`${SERVER_LOST} during journey '${journey}': ${messageOf(cause)}`, {
      cause,
      hint: `${isVenomQAError(cause) && cause.hint ? `${cause.hint} ` : ''}The managed \`venomqa db\` starts again on its data with \`venomqa db up\`; then \`venomqa prune\` drops what this run left, and run again.`,
    });
    this.result = result;
  }
}
