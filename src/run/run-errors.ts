import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, type VenomQAErrorOptions } from '../errors/venomqa-error.js';

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
