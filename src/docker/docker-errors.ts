import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, type VenomQAErrorOptions } from '../errors/venomqa-error.js';

/** One discovery strategy that was tried, and why it did not give a daemon. */
export interface DaemonAttempt {
  strategy: string;
  endpoint?: string;
  reason: string;
}

/** No Docker daemon answered on any of the places we know to look. */
export class DockerUnavailableError extends VenomQAError {
  readonly code = 'VENOMQA_DOCKER_UNAVAILABLE';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
  readonly attempts: readonly DaemonAttempt[];

  /**
   * `configured`: the configured place that did not answer (`DOCKER_HOST (/path)`), which
   * ended the search.
   */
  constructor(
    attempts: readonly DaemonAttempt[],
    options: VenomQAErrorOptions & { configured?: string } = {},
  ) {
    const lines = attempts.map(
      (a) => `  - ${a.strategy}${a.endpoint ? ` (${a.endpoint})` : ''}: ${a.reason}`,
    );
    const { configured, ...rest } = options;
    super(
      configured
        ? `No Docker daemon answers at ${configured}, where the daemon is configured to be; no other place was tried. Tried:\n${lines.join('\n')}`
        : `No Docker daemon answered. Tried:\n${lines.join('\n')}`,
      {
        ...rest,
        hint: configured
          ? `Start the daemon it points at, or correct or unset it (\`unset DOCKER_HOST\`, \`docker context use default\`), or use \`server.provider: embedded\` (VENOMQA_SERVER_PROVIDER=embedded) to run without Docker.`
          : 'Start Docker (for example `dockerd` or `systemctl start docker`), set DOCKER_HOST, ' +
            'or use `server.provider: embedded` (VENOMQA_SERVER_PROVIDER=embedded) to run without Docker.',
      },
    );
    this.attempts = attempts;
  }
}

/** A Docker operation (build, create, start) failed on a daemon that does answer. */
export class DockerOperationError extends VenomQAError {
  readonly code = 'VENOMQA_DOCKER_OPERATION_FAILED';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
}
