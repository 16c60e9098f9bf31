import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError } from '../errors/venomqa-error.js';

/**
 * A journey that cannot run as written: a branch naming a checkpoint not created before it, a
 * duplicate name, a step without an action. Raised when the journey is built, so a typo fails
 * before any database is touched. Every problem found is listed, each with where it is.
 */
export class JourneyDefinitionError extends VenomQAError {
  readonly code = 'VENOMQA_JOURNEY_INVALID';
  readonly exitCode = ExitCode.Usage;
  readonly problems: readonly string[];

  constructor(subject: string, problems: readonly string[]) {
    super(
      problems.length === 1
        ? `${subject} is invalid: ${problems[0]}`
        : `${subject} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.problems = problems;
  }
}
