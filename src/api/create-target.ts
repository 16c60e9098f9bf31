import path from 'node:path';
import createDebug from 'debug';
import type { EnvRecord } from '../config/interpolate.js';
import type { ResolvedConfig } from '../config/schema.js';
import { findDockerDaemon, type DockerDaemon } from '../docker/find-docker-daemon.js';
import { COMPOSE_API_SERVICE, readComposeApiService } from './compose-api-service.js';
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
  /** The run's signal: stops an image build on first use (Ctrl-C). */
  signal?: AbortSignal;
  /** How to reach Docker; injected by tests. Defaults to {@link findDockerDaemon}. */
  findDocker?: () => Promise<DockerDaemon>;
  /**
   * Variables for `${VAR}` in `docker_compose_file`, and the environment image builds see
   * (`PATH`, `VENOMQA_DOCKER_CLI`). Defaults to `process.env`.
   */
  env?: EnvRecord;
}

/** The image a docker target starts per path, and where it came from. */
interface DockerApi {
  image: string;
  build: string | null;
  dockerfile: string | null;
  buildArgs: Readonly<Record<string, string>>;
  target: string | null;
  env: Readonly<Record<string, string>>;
  /** The compose file the image was taken from, when `api.image` is not set. */
  composeFile?: string;
}

/**
 * The target `api.mode` asks for:
 *
 * - `shared`: the API already running at `base_url`.
 * - `process`: `api.command` per path ({@link ProcessTarget}).
 * - `docker`: `api.image` per path ({@link DockerTarget}), built from `api.build` (with
 *   `api.dockerfile` and `api.build_args`) whenever its inputs change. Without `api.image`, the
 *   `api` service of `docker_compose_file` (its image, its build as `docker compose build api`
 *   would run it, its environment; see {@link readComposeApiService}), so the dev loop's
 *   compose file is enough.
 * - `auto`: `docker` when there is an image (as for `docker`) and a Docker daemon answers, else
 *   `process` when `api.command` is set.
 *
 * For `docker` the daemon is looked up now, so a missing daemon fails before any database is
 * cloned. A mode that lacks what it needs throws {@link TargetConfigError}, as does a compose
 * file that cannot be read; `auto` with only an image and no daemon rethrows the daemon's
 * `DockerUnavailableError`.
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
      const image = await dockerApi(config, options);
      if (image === undefined) {
        throw new TargetConfigError('api.mode is docker but api.image is not set', {
          hint: `Set api.image (and api.build to build it), add an \`${COMPOSE_API_SERVICE}\` service to ${config.docker_compose_file} (docker_compose_file), or use api.mode: process with api.command.`,
        });
      }
      return dockerTarget(config, image, await findDocker(), options);
    }
    case 'auto': {
      const image = await dockerApi(config, options);
      if (image !== undefined) {
        try {
          const daemon = await findDocker();
          debug('auto: there is an image (%s) and Docker answers: docker', image.image);
          return dockerTarget(config, image, daemon, options);
        } catch (error) {
          if (api.command === null) throw error;
          debug('auto: no Docker daemon, falling back to api.command');
          options.onProgress?.(
            `No Docker daemon answered; starting the API with api.command instead of the image ${image.image}.`,
          );
        }
      }
      if (api.command === null) {
        throw new TargetConfigError(
          'api.mode is auto but neither api.command nor api.image is set, so there is no API to start per path',
          {
            hint: `Set api.command (a process per path) or api.image (a container per path; or add an \`${COMPOSE_API_SERVICE}\` service to ${config.docker_compose_file}), or use api.mode: shared to test the API running at ${config.base_url}.`,
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
  // Any user of this machine reads a process's arguments (`ps`): say so, rather than refuse a
  // command written that way on purpose.
  if ([api.command].flat().some((arg) => arg.includes('{database_url}'))) {
    options.onProgress?.(
      'note: api.command passes {database_url} as an argument, where `ps` shows its password to every user of this machine; the API also gets it in DATABASE_URL (or name it in api.env), out of sight',
    );
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

/**
 * `api.image` with `api.build`, `api.dockerfile`, `api.build_args` and `api.env`; else the
 * compose file's `api` service, with `api.build`/`api.dockerfile` replacing its build when set
 * (its args and target go with it), `api.build_args` over its args and `api.env` over its
 * environment per variable. Undefined when neither gives an image.
 */
async function dockerApi(
  config: ResolvedConfig,
  options: CreateTargetOptions,
): Promise<DockerApi | undefined> {
  const { api } = config;
  if (api.image !== null) {
    return {
      image: api.image,
      build: api.build,
      dockerfile: api.dockerfile,
      buildArgs: api.build_args,
      target: null,
      env: api.env,
    };
  }
  const service = await readComposeApiService(config.docker_compose_file, {
    env: options.env ?? process.env,
  });
  if (service === undefined) return undefined;
  const buildFromConfig = api.build !== null;
  return {
    image: service.image,
    build: buildFromConfig ? api.build : service.build,
    dockerfile: buildFromConfig ? api.dockerfile : service.dockerfile,
    buildArgs: buildFromConfig ? api.build_args : { ...service.buildArgs, ...api.build_args },
    target: buildFromConfig ? null : service.target,
    env: { ...service.env, ...api.env },
    composeFile: service.file,
  };
}

function dockerTarget(
  config: ResolvedConfig,
  image: DockerApi,
  daemon: DockerDaemon,
  options: CreateTargetOptions,
): DockerTarget {
  const { api } = config;
  if (image.composeFile !== undefined) {
    debug('api.image is not set: the %s service of %s', COMPOSE_API_SERVICE, image.composeFile);
    options.onProgress?.(
      `api.image is not set: the API is the ${COMPOSE_API_SERVICE} service of ${image.composeFile} (image ${image.image}` +
        `${image.build === null ? '' : `, built from ${image.build} when its inputs change`})`,
    );
  }
  return new DockerTarget({
    image: image.image,
    build: image.build,
    dockerfile: image.dockerfile,
    buildArgs: image.buildArgs,
    buildTarget: image.target,
    env: image.env,
    health: api.health,
    startupTimeoutMs: api.startup_timeout * 1000,
    network: config.server.network,
    logLines: Math.max(DEFAULT_LOG_CAPACITY, config.log_lines),
    docker: daemon.docker,
    endpoint: daemon.endpoint,
    ...(options.env ? { buildEnvironment: options.env } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}
