// The public face of the target layer.
export type { AcquireOptions, Target, TargetInstance } from './target.js';
export { SharedTarget, type SharedTargetOptions } from './shared-target.js';
export { ProcessTarget, type ProcessTargetOptions } from './process-target.js';
export { DockerTarget, PATH_LABEL, type DockerTargetOptions } from './docker-target.js';
export { ApiProcess } from './api-process.js';
export { ApiContainer } from './api-container.js';
export { createTarget, type CreateTargetOptions } from './create-target.js';
export { describeTarget } from './describe-target.js';
export {
  TargetAbortedError,
  TargetConfigError,
  TargetImageMissingError,
  TargetStartError,
} from './target-errors.js';
