import path from 'node:path';
import createDebug from 'debug';
import type Docker from 'dockerode';
import type { ResolvedConfig } from '../config/schema.js';
import { findDockerDaemon, type DockerDaemon } from '../docker/find-docker-daemon.js';
import { DockerTarget } from './docker-target.js';
import { DEFAULT_LOG_CAPACITY } from './line-buffer.js';
import { ProcessTarget } from './process-target.js';
import { SharedTarget } from './shared-target.js';
import { TargetConfigError } from './target-errors.js';
import type { Target } from './target.js';

const debug = createDebug('venomqa:target');

export interface CreateTargetOptions {
  /**
   * Where `api.command` runs. Defaults to the config file's folder (relative paths in the
   * command are written relative to it), else the current directory.
   */
  cwd?: string;
  /** Progress lines for the user (an image being built, a missing bridge network). */
  onProgress?: (line: string) => void;
  /** How to reach Docker; injected by tests. Defaults to {@link findDockerDaemon}. */
  findDocker?: () => Promise<DockerDaemon>;
}

/**
 * The target `api.mode` asks for:
 *
 * - `shared`: the API already running at `base_url`.
 * - `process`: `api.command` per path ({@link ProcessTarget}).
 * - `docker`: `api.image` per path ({@link DockerTarget}), built from `api.build` if missing.
 * - `auto`: `docker` when `api.image` is set and a Docker daemon answers, else `process` when
 *   `api.command` is set.
 *
 * For `docker` the daemon is looked up now, so a missing daemon fails before any database is
 * cloned. A mode that lacks what it needs throws {@link TargetConfigError}; `auto` with only
 * an image and no daemon rethrows the daemon's `DockerUnavailableError`.
 *
 * @example
 * ```ts
 * const target = await createTarget(config, { onProgress: (line) => console.error(line) });
 * console.error(describeTarget(target));
 * ```
 */
export async function createTarget(
  config: ResolvedConfig,
  options: CreateTargetOptions = {},
): Promise<Target> {
  const { api } = config;
  const findDocker = options.findDocker ?? (() => findDockerDaemon());
  switch (api.mode) {
    case 'shared':
      return new SharedTarget({ baseUrl: config.base_url });
    case 'process':
      return processTarget(config, options);
    case 'docker': {
      if (api.image === null) {
        throw new TargetConfigError('api.mode is docker but api.image is not set', {
          hint: 'Set api.image (and api.build to build it when missing), or use api.mode: process with api.command.',
        });
      }
      return dockerTarget(config, (await findDocker()).docker, options);
    }
    case 'auto': {
      if (api.image !== null) {
        try {
          const { docker } = await findDocker();
          debug('auto: api.image is set and Docker answers: docker');
          return dockerTarget(config, docker, options);
        } catch (error) {
          if (api.command === null) throw error;
          debug('auto: no Docker daemon, falling back to api.command');
          options.onProgress?.(
            `No Docker daemon answered; starting the API with api.command instead of the image ${api.image}.`,
          );
        }
      }
      if (api.command === null) {
        throw new TargetConfigError(
          'api.mode is auto but neither api.command nor api.image is set, so there is no API to start per path',
          {
            hint: `Set api.command (a process per path) or api.image (a container per path), or use api.mode: shared to test the API running at ${config.base_url}.`,
          },
        );
      }
      return processTarget(config, options);
    }
  }
}

function processTarget(config: ResolvedConfig, options: CreateTargetOptions): ProcessTarget {
  const { api } = config;
  if (api.command === null) {
    throw new TargetConfigError('api.mode is process but api.command is not set', {
      hint: 'Set api.command to the command that starts your API, e.g. `node server.js` (it gets DATABASE_URL and PORT).',
    });
  }
  return new ProcessTarget({
    command: api.command,
    env: api.env,
    health: api.health,
    startupTimeoutMs: api.startup_timeout * 1000,
    cwd:
      options.cwd ??
      (config.config_file === null ? process.cwd() : path.dirname(config.config_file)),
    logLines: Math.max(DEFAULT_LOG_CAPACITY, config.log_lines),
  });
}

function dockerTarget(
  config: ResolvedConfig,
  docker: Docker,
  options: CreateTargetOptions,
): DockerTarget {
  const { api } = config;
  return new DockerTarget({
    image: api.image ?? '',
    build: api.build,
    dockerfile: api.dockerfile,
    baseImage: config.server.base_image,
    env: api.env,
    health: api.health,
    startupTimeoutMs: api.startup_timeout * 1000,
    network: config.server.network,
    logLines: Math.max(DEFAULT_LOG_CAPACITY, config.log_lines),
    docker,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
