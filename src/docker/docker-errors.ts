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

  constructor(attempts: readonly DaemonAttempt[], options: VenomQAErrorOptions = {}) {
    const lines = attempts.map(
      (a) => `  - ${a.strategy}${a.endpoint ? ` (${a.endpoint})` : ''}: ${a.reason}`,
    );
    super(`No Docker daemon answered. Tried:\n${lines.join('\n')}`, {
      hint:
        'Start Docker (for example `dockerd` or `systemctl start docker`), set DOCKER_HOST, ' +
        'or use `server.provider: embedded` (VENOMQA_SERVER_PROVIDER=embedded) to run without Docker.',
      ...options,
    });
    this.attempts = attempts;
  }
}

/** A Docker operation (build, create, start) failed on a daemon that does answer. */
export class DockerOperationError extends VenomQAError {
  readonly code = 'VENOMQA_DOCKER_OPERATION_FAILED';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
}
