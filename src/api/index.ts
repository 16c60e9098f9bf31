// venomqa/api: the API under test, per path (`process`, `docker`) or shared by every path.
export type { AcquireOptions, Target, TargetInstance } from './target.js';
export { createTarget, type CreateTargetOptions } from './create-target.js';
export { SharedTarget, type SharedTargetOptions } from './shared-target.js';
export { ProcessTarget, type ProcessTargetOptions } from './process-target.js';
export { DockerTarget, type DockerTargetOptions } from './docker-target.js';
export { describeTarget } from './describe-target.js';
export {
  TargetAbortedError,
  TargetConfigError,
  TargetImageMissingError,
  TargetStartError,
} from './target-errors.js';
