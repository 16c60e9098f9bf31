export { findDockerDaemon, isDockerAvailable, type DockerDaemon } from './find-docker-daemon.js';
export * from './daemon-strategies.js';
export { DockerUnavailableError, DockerOperationError } from './docker-unavailable-error.js';
export { buildImage, imageExists, type BuildImageOptions } from './build-image.js';
export {
  startContainer,
  stopAndRemove,
  listLabelledContainers,
  StartedContainer,
  type StartContainerOptions,
  type NetworkMode,
} from './started-container.js';
export { LABEL, venomqaLabels, shortHash, type ContainerRole } from './labels.js';
export { demuxDockerLogs, lastLines } from './container-logs.js';
export {
  ensureImageBuilt,
  type EnsureImageBuiltOptions,
  type EnsuredImage,
} from './ensure-image-built.js';
export { pruneApiImages, type PruneApiImagesOptions } from './prune-api-images.js';
export { findBuildCli, type BuildCli } from './find-build-cli.js';
export { BuildKitRequiredError, ImageBuildAbortedError, ImageBuildError } from './build-errors.js';
