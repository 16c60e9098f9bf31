import { DockerTarget } from './docker-target.js';
import { ProcessTarget } from './process-target.js';
import { SharedTarget } from './shared-target.js';
import type { Target } from './target.js';

/**
 * One line for progress output: which API the paths talk to.
 *
 * @example
 * ```ts
 * describeTarget(target); // 'API: `node server.js` started per path (process)'
 * ```
 */
export function describeTarget(target: Target): string {
  if (target instanceof SharedTarget) {
    return `API: the running one at ${target.baseUrl} (shared; paths run one at a time)`;
  }
  if (target instanceof ProcessTarget)
    return `API: \`${target.command}\` started per path (process)`;
  if (target instanceof DockerTarget) return `API: image ${target.image} started per path (docker)`;
  return `API: ${target.mode} target (${target.isolation})`;
}
