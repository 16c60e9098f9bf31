import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError } from '../errors/venomqa-error.js';

/** A journey module could not be found, imported, or holds no journey. */
export class JourneyLoadError extends VenomQAError {
  readonly code = 'VENOMQA_JOURNEY_LOAD_FAILED';
  readonly exitCode = ExitCode.Usage;
}
