import { closestName } from '../errors/closest-name.js';
import { notFoundText } from '../errors/error-text.js';
import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, type VenomQAErrorOptions } from '../errors/venomqa-error.js';

/**
 * A journey that cannot run as written: a branch naming a checkpoint not created before it, a
 * duplicate name, a step without an action. Raised when the journey is built, so a typo fails
 * before any database is touched. Every problem found is listed, each with where it is.
 */
export class JourneyDefinitionError extends VenomQAError {
  readonly code = 'VENOMQA_JOURNEY_INVALID';
  readonly exitCode = ExitCode.Usage;
  readonly problems: readonly string[];

  constructor(subject: string, problems: readonly string[], options: VenomQAErrorOptions = {}) {
    super(
      problems.length === 1
        ? `${subject} is invalid: ${problems[0]}`
        : `${subject} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      options,
    );
    this.problems = problems;
  }
}

/** `ctx.require(key)` named a value no earlier step stored. */
export class ContextKeyMissingError extends VenomQAError {
  readonly code = 'VENOMQA_CONTEXT_KEY_MISSING';
  readonly exitCode = ExitCode.JourneysFailed;
  readonly key: string;

  constructor(key: string, available: readonly string[], options: VenomQAErrorOptions = {}) {
    super(
      notFoundText({
        kind: 'Context key',
        name: key,
        existing: available,
        existingAs: 'the journey context holds',
        suggestion: closestName(key, available),
      }),
      { hint: `Store it in an earlier step with ctx.set('${key}', value).`, ...options },
    );
    this.key = key;
  }
}
