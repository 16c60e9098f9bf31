import { closestName } from '../errors/closest-name.js';
import { notFoundText, quotedList } from '../errors/error-text.js';
import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, messageOf, type VenomQAErrorOptions } from '../errors/venomqa-error.js';

/** A state manager was used before `connect()`, after `disconnect()`, or after losing its connection. */
export class StateNotConnectedError extends VenomQAError {
  readonly code = 'VENOMQA_STATE_NOT_CONNECTED';
  readonly exitCode = ExitCode.Usage;
  /** The method that was called, e.g. `checkpoint`. */
  readonly operation: string;

  constructor(backend: string, operation: string, options: VenomQAErrorOptions = {}) {
    super(
      `${backend}.${operation}() needs a connection: call connect() first` +
        (options.cause === undefined
          ? ''
          : ` (the connection was lost: ${messageOf(options.cause)})`),
      {
        hint: 'await state.connect() before the first checkpoint, and do not reuse a manager after disconnect()',
        ...options,
      },
    );
    this.operation = operation;
  }
}

/**
 * `rollback()` or `release()` named a checkpoint the manager does not hold. The message starts
 * with `Checkpoint '<name>' not found`, then lists the checkpoints that exist and the usual
 * causes.
 */
export class CheckpointNotFoundError extends VenomQAError {
  readonly code = 'VENOMQA_CHECKPOINT_NOT_FOUND';
  readonly exitCode = ExitCode.Usage;
  /** The name that was asked for. */
  readonly checkpoint: string;
  /** The checkpoints that exist, oldest first. */
  readonly available: readonly string[];

  constructor(checkpoint: string, available: readonly string[], options: VenomQAErrorOptions = {}) {
    super(
      [
        notFoundText({
          kind: 'Checkpoint',
          name: checkpoint,
          existing: available,
          existingAs: 'existing checkpoints (oldest first)',
          suggestion: closestName(checkpoint, available),
        }),
        'Usual causes:',
        `  - it was never created (checkpoint('${checkpoint}') did not run, or failed);`,
        '  - the name is misspelled;',
        '  - the connection was reset, or a rollback to an older checkpoint or a reset() discarded it.',
      ].join('\n'),
      options,
    );
    this.checkpoint = checkpoint;
    this.available = [...available];
  }
}

/** A checkpoint name that cannot become a SAVEPOINT name as is. Names are never altered. */
export class InvalidCheckpointNameError extends VenomQAError {
  readonly code = 'VENOMQA_CHECKPOINT_NAME_INVALID';
  readonly exitCode = ExitCode.Usage;
  readonly checkpoint: string;

  constructor(checkpoint: string, reason: string, options: VenomQAErrorOptions = {}) {
    super(`Invalid checkpoint name ${JSON.stringify(checkpoint)}: ${reason}`, {
      hint: "Use letters, digits and '_' only, at most 59 characters, e.g. 'order_created'.",
      ...options,
    });
    this.checkpoint = checkpoint;
  }
}

/** A backend's options cannot work (no URL, an unparsable URL, an unknown URL option, …). */
export class StateConfigError extends VenomQAError {
  readonly code = 'VENOMQA_STATE_CONFIG_INVALID';
  readonly exitCode = ExitCode.Usage;
}

/** A backend could not reach its server. The URL in the message never holds its password. */
export class StateConnectionError extends VenomQAError {
  readonly code = 'VENOMQA_STATE_UNAVAILABLE';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
}

/** One part of a {@link CompositeStateManager} operation that failed. */
export interface CompositePartFailure {
  readonly part: string;
  readonly error: unknown;
}

/**
 * An operation of a composite state manager failed on one or more parts. `part` is the first
 * part that failed; `failures` has all of them; `undone` lists the parts whose effect was undone.
 */
export class CompositeStateError extends VenomQAError {
  readonly code = 'VENOMQA_COMPOSITE_STATE_FAILED';
  readonly exitCode: ExitCode;
  readonly operation: string;
  readonly part: string;
  readonly failures: readonly CompositePartFailure[];
  readonly undone: readonly string[];

  constructor(
    operation: string,
    failures: readonly [CompositePartFailure, ...CompositePartFailure[]],
    details: { undone?: readonly string[]; note?: string } = {},
    options: VenomQAErrorOptions = {},
  ) {
    const [first] = failures;
    const lines = failures.map(({ part, error }) => `part '${part}': ${messageOf(error)}`);
    const undone = details.undone ?? [];
    super(
      `${operation} failed on part ${quotedList(failures.map((f) => f.part))}: ${lines.join('; ')}` +
        (undone.length === 0 ? '' : `. Undone on ${quotedList(undone)}`) +
        (details.note === undefined ? '' : `. ${details.note}`),
      {
        cause:
          failures.length === 1
            ? first.error
            : new AggregateError(
                failures.map((f) => f.error),
                `${operation} failed on ${failures.length} parts`,
              ),
        ...options,
      },
    );
    this.operation = operation;
    this.part = first.part;
    this.failures = [...failures];
    this.undone = [...undone];
    // A part's own typed error knows best how the CLI should end.
    this.exitCode =
      first.error instanceof VenomQAError ? first.error.exitCode : ExitCode.EnvironmentUnavailable;
  }
}

/** `db_backend` names a backend nobody registered. */
export class UnknownStateBackendError extends VenomQAError {
  readonly code = 'VENOMQA_STATE_BACKEND_UNKNOWN';
  readonly exitCode = ExitCode.Usage;
  readonly backend: string;
  readonly registered: readonly string[];
  readonly suggestion: string | undefined;

  constructor(backend: string, registered: readonly string[], options: VenomQAErrorOptions = {}) {
    const closest = closestName(backend, registered);
    super(
      notFoundText({
        kind: 'State backend',
        name: backend,
        existing: registered,
        existingAs: 'registered backends',
        suggestion: closest,
      }),
      {
        hint: 'Set db_backend to a registered name, or register a plugin under state_backends: {name: "module#Export"} in venomqa.yaml.',
        ...options,
      },
    );
    this.backend = backend;
    this.registered = [...registered];
    this.suggestion = closest;
  }
}

/**
 * A state backend plugin cannot be loaded, lacks the named export, or does not implement the
 * StateManager protocol. The message names the backend, the module, the export and what is
 * missing.
 */
export class StateBackendInvalidError extends VenomQAError {
  readonly code = 'VENOMQA_STATE_BACKEND_INVALID';
  readonly exitCode = ExitCode.Usage;
  readonly backend: string;
  readonly module: string;
  readonly exportName: string;
  /** Protocol methods the export lacks; empty when the problem is elsewhere. */
  readonly missing: readonly string[];

  constructor(
    details: {
      backend: string;
      module: string;
      exportName: string;
      problem: string;
      missing?: readonly string[];
    },
    options: VenomQAErrorOptions = {},
  ) {
    super(
      `State backend '${details.backend}' (export '${details.exportName}' of module '${details.module}') is invalid: ${details.problem}`,
      options,
    );
    this.backend = details.backend;
    this.module = details.module;
    this.exportName = details.exportName;
    this.missing = [...(details.missing ?? [])];
  }
}
