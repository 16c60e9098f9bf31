import { ExitCode } from '../errors/exit-code.js';
import { VenomQAError, type VenomQAErrorOptions } from '../errors/venomqa-error.js';
import type { BuildKitFeature } from './buildkit-features.js';

/**
 * An image build ran and failed (a `RUN` step exited non-zero, a `COPY` source is missing, the
 * builder stopped). The message names the image, the context and the builder, and ends with
 * the build's last output lines, which are also in `outputTail`.
 */
export class ImageBuildError extends VenomQAError {
  readonly code = 'VENOMQA_IMAGE_BUILD_FAILED';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
  readonly outputTail: readonly string[];

  constructor(message: string, outputTail: readonly string[], options: VenomQAErrorOptions = {}) {
    const tail = outputTail.length
      ? `\nLast build output:\n${outputTail.map((l) => `  ${l}`).join('\n')}`
      : '';
    super(`${message}${tail}`, options);
    this.outputTail = outputTail;
  }
}

/** A build was stopped by its signal (Ctrl-C): the builder was told to stop, nothing was tagged. */
export class ImageBuildAbortedError extends VenomQAError {
  readonly code = 'VENOMQA_IMAGE_BUILD_ABORTED';
  readonly exitCode = ExitCode.Interrupted;

  constructor(image: string, reason: unknown) {
    super(`Building the image ${image} was stopped`, { cause: reason });
  }
}

/**
 * The Dockerfile needs BuildKit, and the only builder venomqa found is the Docker API's classic
 * one, which cannot build it. Raised before anything is sent to the daemon; `feature` and
 * `line` say what in the Dockerfile needs BuildKit.
 */
export class BuildKitRequiredError extends VenomQAError {
  readonly code = 'VENOMQA_BUILDKIT_REQUIRED';
  readonly exitCode = ExitCode.EnvironmentUnavailable;
  readonly dockerfile: string;
  readonly feature: string;
  readonly line: number;

  constructor(dockerfile: string, features: readonly BuildKitFeature[], whyNoCli: string) {
    const [first] = features;
    const more =
      features.length > 1 ? ` (and ${features.length - 1} more BuildKit-only use(s))` : '';
    super(
      `${dockerfile}:${first?.line ?? 1} uses ${first?.feature ?? 'a BuildKit feature'}, which only BuildKit builds${more}, ` +
        `and no docker CLI with BuildKit was found (${whyNoCli}); the Docker API's classic builder, venomqa's fallback, cannot build it`,
      {
        hint:
          'Install the docker buildx plugin (`docker buildx version` must work), or set VENOMQA_DOCKER_CLI ' +
          'to a docker CLI that builds with BuildKit (a CLI older than 23.0 runs `DOCKER_BUILDKIT=1 docker build` ' +
          "on the daemon's own BuildKit). Or build the image yourself and unset api.build.",
      },
    );
    this.dockerfile = dockerfile;
    this.feature = first?.feature ?? '';
    this.line = first?.line ?? 0;
  }
}

/** The build context folder or the Dockerfile cannot be read (missing, not a folder, no access). */
export class BuildInputsUnreadableError extends VenomQAError {
  readonly code = 'VENOMQA_BUILD_INPUTS_UNREADABLE';
  readonly exitCode = ExitCode.Usage;
}
