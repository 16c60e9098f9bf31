import { DockerTarget } from './docker-target.js';
import { ProcessTarget } from './process-target.js';
import { SharedTarget } from './shared-target.js';
import type { Target } from './target.js';

/**
 * One line for progress output: which API the paths talk to, and how often it starts: once
 * per path, or once per API slot (`slots`, with `api.reuse`).
 *
 * @example
 * ```ts
 * describeTarget(target); // 'API: `node server.js` started per path (process)'
 * describeTarget(target, 3); // 'API: `node server.js` started once per slot, 3 slots … (process)'
 * ```
 */
export function describeTarget(target: Target, slots?: number): string {
  if (target instanceof SharedTarget) {
    return `API: the running one at ${target.baseUrl} (shared; paths run one at a time)`;
  }
  const how =
    slots === undefined
      ? 'started per path'
      : `started once per slot, ${slots} slot${slots === 1 ? '' : 's'}, its database swapped for each path`;
  if (target instanceof ProcessTarget) return `API: \`${target.command}\` ${how} (process)`;
  if (target instanceof DockerTarget) return `API: image ${target.image} ${how} (docker)`;
  return `API: ${target.mode} target (${target.isolation})`;
}
