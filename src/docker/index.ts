// venomqa/docker: find the daemon the way the docker CLI does, build images, and start, stop
// and list containers carrying venomqa's labels.
export {
  findDockerDaemon,
  isDockerAvailable,
  type DockerDaemon,
  type FindDockerDaemonOptions,
} from './find-docker-daemon.js';
export type { DockerEndpoint } from './daemon-strategies.js';
export {
  DockerOperationError,
  DockerUnavailableError,
  type DaemonAttempt,
} from './docker-errors.js';
export { buildImage, imageExists, type BuildImageOptions } from './build-image.js';
export {
  StartedContainer,
  listLabelledContainers,
  startContainer,
  stopAndRemove,
  type NetworkMode,
  type StartContainerOptions,
} from './started-container.js';
export { LABEL, type ContainerRole } from './labels.js';
export {
  ensureImageBuilt,
  type EnsureImageBuiltOptions,
  type EnsuredImage,
} from './ensure-image-built.js';
export { pruneApiImages, type PruneApiImagesOptions } from './prune-api-images.js';
export { findBuildCli, type BuildCli } from './find-build-cli.js';
export { BuildKitRequiredError, ImageBuildAbortedError, ImageBuildError } from './build-errors.js';
