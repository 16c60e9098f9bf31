import { logTailText } from '../errors/error-text.js';
import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, type VenomQAErrorOptions } from '../errors/venomqa-error.js';

/**
 * An API instance venomqa started for a path did not become healthy: its process or container
 * exited, its health URL never answered 2xx in time, or it could not be started at all. The
 * message names the path label and the command or image (passwords masked) and ends with the
 * API's last log lines, which are also in `logLines`.
 */
export class TargetStartError extends VenomQAError {
  readonly code = 'VENOMQA_TARGET_START_FAILED';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
  /** The path label the instance was acquired for. */
  readonly label: string;
  readonly logLines: readonly string[];

  constructor(
    message: string,
    details: { label: string; logLines: readonly string[] },
    options: VenomQAErrorOptions = {},
  ) {
    const logs = logTailText(details.logLines, { empty: '\n(The API wrote no output.)' });
    super(`${message}${logs}`, options);
    this.label = details.label;
    this.logLines = details.logLines;
  }
}

/**
 * The start of an API instance was aborted (fail_fast stopped the run, or Ctrl-C). Whatever had
 * been started was stopped before this was thrown; pass the abort reason as the `cause`.
 */
export class TargetAbortedError extends VenomQAError {
  readonly code = 'VENOMQA_TARGET_ABORTED';
  readonly exitCode = ExitCode.Interrupted;
  readonly label: string;

  constructor(label: string, options: VenomQAErrorOptions = {}) {
    super(`Starting the API for path ${label} was aborted`, options);
    this.label = label;
  }
}

/**
 * `api.*` settings cannot give a target: `api.mode: process` without `api.command`, `docker`
 * without `api.image`, or a command string that needs a shell.
 */
export class TargetConfigError extends VenomQAError {
  readonly code = 'VENOMQA_TARGET_CONFIG_INVALID';
  readonly exitCode = ExitCode.Usage;
}

/** `api.image` is not on the Docker daemon and there is no `api.build` to build it from. */
export class TargetImageMissingError extends VenomQAError {
  readonly code = 'VENOMQA_TARGET_IMAGE_MISSING';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
  readonly image: string;

  constructor(image: string, options: VenomQAErrorOptions = {}) {
    super(
      `The API image ${image} does not exist on the Docker daemon, and there is nothing to build it from`,
      {
        hint:
          `Build or load it yourself (\`docker build -t ${image} DIR\`), or give venomqa a build: ` +
          'api.build (the folder holding its Dockerfile), or `build:` in the api service of docker_compose_file.',
        ...options,
      },
    );
    this.image = image;
  }
}
