import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, type VenomQAErrorOptions } from '../errors/venomqa-error.js';

/**
 * The runner was given settings that cannot work together: parallel paths against one shared
 * API, per-path APIs without a backend that can clone, a branching journey without a state
 * manager. Raised before anything starts.
 */
export class RunnerConfigError extends VenomQAError {
  readonly code = 'VENOMQA_RUNNER_CONFIG_INVALID';
  readonly exitCode = ExitCode.Usage;

  constructor(message: string, options: VenomQAErrorOptions = {}) {
    super(message, options);
  }
}

/** The run was interrupted (Ctrl-C): what was acquired has been released. */
export class RunInterruptedError extends VenomQAError {
  readonly code = 'VENOMQA_INTERRUPTED';
  readonly exitCode = ExitCode.Interrupted;

  constructor(options: VenomQAErrorOptions = {}) {
    super(
      'The run was interrupted; every clone, container and process it started was released.',
      options,
    );
  }
}

/**
 * A step's outcome did not match what was expected of it: the wrong status, no request, or a
 * step meant to fail that passed. Fails the step (and its journey), not the run.
 */
export class StepExpectationError extends VenomQAError {
  readonly code = 'VENOMQA_STEP_EXPECTATION_FAILED';
  readonly exitCode = ExitCode.JourneysFailed;
}

/**
 * A SAVEPOINT state manager was given an API that is not known to share its connection: the
 * API commits through its own pool, so rolling back the manager's SAVEPOINTs would leave every
 * write of a path in place for the next one.
 */
export class SavepointWithExternalApiError extends VenomQAError {
  readonly code = 'VENOMQA_SAVEPOINT_WITH_EXTERNAL_API';
  readonly exitCode = ExitCode.Usage;

  constructor(options: VenomQAErrorOptions = {}) {
    super(
      "SAVEPOINTs roll back only what runs on the state manager's own connection, and the API under test writes through connections of its own: each path would see the previous paths' writes",
      {
        hint: "Use TemplateStateManager (template clones restore the database the API really uses; its role needs CREATEDB), or pass apiSharesConnection: true if the API runs in this process on the manager's connection.",
        ...options,
      },
    );
  }
}
