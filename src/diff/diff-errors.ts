import { notFoundText } from '../errors/error-text.js';
import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, type VenomQAErrorOptions } from '../errors/venomqa-error.js';

/**
 * A path asked for its state diff against a checkpoint that was never captured: a bug in the
 * caller (the runner captures every checkpoint a branch starts from), not in the user's setup.
 */
export class DiffBaselineMissingError extends VenomQAError {
  readonly code = 'VENOMQA_DIFF_BASELINE_MISSING';
  readonly exitCode = ExitCode.Internal;

  constructor(checkpoint: string, captured: readonly string[], options: VenomQAErrorOptions = {}) {
    super(
      notFoundText({
        kind: 'Captured checkpoint',
        name: checkpoint,
        existing: captured,
        existingAs: 'captured',
      }),
      {
        hint: 'Call checkpointTaken() right after the checkpoint is taken, before the first path from it ends.',
        ...options,
      },
    );
  }
}
