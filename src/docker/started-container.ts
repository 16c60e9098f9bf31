import type Docker from 'dockerode';
import createDebug from 'debug';
import { demuxDockerLogs, lastLines } from './container-logs.js';
import { DockerOperationError } from './docker-errors.js';
import { messageOf } from '../errors/venomqa-error.js';
import {
  planSecretEnvironment,
  putFile,
  type SecretEnvironmentPlan,
} from './secret-environment.js';

const debug = createDebug('venomqa:docker:container');

export type NetworkMode = 'bridge' | 'host';

export interface StartContainerOptions {
  image: string;
  name?: string;
  env?: Record<string, string>;
  /**
   * Variables that hold a password: loaded from a file inside the container by a shell wrapper,
   * so `docker inspect` does not show them (see {@link planSecretEnvironment}; plain `Env` for
   * an image without `/bin/sh`).
   */
  secretEnv?: Record<string, string>;
  /** Files put into the container before it starts (`{ '/run/x/password': text }`). */
  files?: Record<string, string>;
  cmd?: string[];
  labels: Record<string, string>;
  /**
   * `bridge` publishes `containerPort` on 127.0.0.1 only, on a port Docker picks.
   * `host` shares the host's network: the process must listen on a port chosen by the caller.
   */
  network: NetworkMode;
  containerPort?: number;
  /** Mounts such as `{ '/var/lib/postgresql/data': 'rw,size=2g' }`. */
  tmpfs?: Record<string, string>;
  /** Shared memory size in bytes; PostgreSQL's parallel queries need more than Docker's 64 MB. */
  shmSizeBytes?: number;
  /**
   * Run Docker's init (tini) as PID 1, so an app that installs no SIGTERM handler still stops
   * on `docker stop` instead of waiting out the grace period.
   */
  init?: boolean;
  /** `/etc/hosts` entries such as `host.docker.internal:host-gateway`. */
  extraHosts?: string[];
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number }).statusCode;
}

/**
 * A container venomqa started. `stop()` stops and removes it and may be called any number of
 * times; `await using` calls it too.
 */
export class StartedContainer {
  readonly id: string;
  readonly name: string;
  /** The port on 127.0.0.1 where `containerPort` is reachable. */
  readonly hostPort: number | undefined;
  readonly #docker: Docker;
  #stopped: Promise<void> | undefined;

  constructor(docker: Docker, id: string, name: string, hostPort: number | undefined) {
    this.#docker = docker;
    this.id = id;
    this.name = name;
    this.hostPort = hostPort;
  }

  /** The last `count` lines the container wrote to stdout and stderr. */
  logs(count = 50): Promise<string[]> {
    return readContainerLogs(this.#docker, this.id, count);
  }

  async isRunning(): Promise<boolean> {
    try {
      const info = await this.#docker.getContainer(this.id).inspect();
      return info.State.Running;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  /** Stop (SIGINT per the image's STOPSIGNAL, then SIGKILL after the grace period) and remove. */
  stop(graceSeconds = 10): Promise<void> {
    this.#stopped ??= stopAndRemove(this.#docker, this.id, graceSeconds);
    return this.#stopped;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/** The last `count` lines a container wrote to stdout and stderr; none for a container that is gone. */
export async function readContainerLogs(docker: Docker, id: string, count = 50): Promise<string[]> {
  try {
    const raw = await docker.getContainer(id).logs({
      stdout: true,
      stderr: true,
      follow: false,
      tail: count,
    });
    return lastLines(demuxDockerLogs(Buffer.from(raw)), count);
  } catch (error) {
    if (statusOf(error) === 404) return [];
    throw error;
  }
}

/** Stop and remove a container by id; a container that is already gone is not an error. */
export async function stopAndRemove(docker: Docker, id: string, graceSeconds = 10): Promise<void> {
  const container = docker.getContainer(id);
  try {
    await container.stop({ t: graceSeconds });
  } catch (error) {
    // 304: already stopped, 404: already gone.
    if (statusOf(error) !== 304 && statusOf(error) !== 404) throw error;
  }
  try {
    await container.remove({ force: true, v: true });
  } catch (error) {
    // 404: gone; 409: removal already in progress.
    if (statusOf(error) !== 404 && statusOf(error) !== 409) throw error;
  }
  debug('removed %s', id.slice(0, 12));
}

/**
 * Create and start a labelled container. If it fails to start, it is removed before the error
 * is rethrown, so a failed start leaves nothing behind.
 */
export async function startContainer(
  docker: Docker,
  options: StartContainerOptions,
): Promise<StartedContainer> {
  const portKey = options.containerPort === undefined ? undefined : `${options.containerPort}/tcp`;
  const bridgePorts =
    options.network === 'bridge' && portKey
      ? {
          ExposedPorts: { [portKey]: {} },
          PortBindings: { [portKey]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
        }
      : undefined;
  const plainEnv = { ...options.env, ...options.secretEnv };
  let container: Docker.Container;
  const create = async (secrets: SecretEnvironmentPlan | undefined): Promise<Docker.Container> =>
    docker.createContainer({
      Image: options.image,
      ...(options.name ? { name: options.name } : {}),
      Env: Object.entries(plainEnv).map(([k, v]) => `${k}=${v}`),
      ...(options.cmd ? { Cmd: options.cmd } : {}),
      ...secrets?.create,
      Labels: options.labels,
      ...(bridgePorts ? { ExposedPorts: bridgePorts.ExposedPorts } : {}),
      HostConfig: {
        NetworkMode: options.network === 'host' ? 'host' : 'bridge',
        ...(bridgePorts ? { PortBindings: bridgePorts.PortBindings } : {}),
        ...(options.tmpfs ? { Tmpfs: options.tmpfs } : {}),
        ...(options.shmSizeBytes ? { ShmSize: options.shmSizeBytes } : {}),
        ...(options.init ? { Init: true } : {}),
        ...(options.extraHosts?.length ? { ExtraHosts: options.extraHosts } : {}),
      },
    });
  try {
    const secrets = options.secretEnv
      ? await planSecretEnvironment(
          docker,
          options.image,
          options.env ?? {},
          options.secretEnv,
          options.cmd,
        )
      : undefined;
    container = await create(secrets);
    if (secrets) {
      const created = container;
      const installed = await secrets.install(created).catch(async (error: unknown) => {
        await stopAndRemove(docker, created.id, 0).catch(() => undefined);
        throw error;
      });
      if (installed === 'no-shell') {
        // No shell to load the file: the least bad option left is plain Env.
        await stopAndRemove(docker, created.id, 0);
        container = await create(undefined);
      }
    }
    const created = container;
    for (const [file, text] of Object.entries(options.files ?? {})) {
      await putFile(created, file, text).catch(async (error: unknown) => {
        await stopAndRemove(docker, created.id, 0).catch(() => undefined);
        throw error;
      });
    }
  } catch (error) {
    throw new DockerOperationError(
      `Creating a container from ${options.image} failed: ${messageOf(error)}`,
      { cause: error },
    );
  }
  try {
    await container.start();
    const info = await container.inspect();
    let hostPort: number | undefined;
    if (options.network === 'host') hostPort = options.containerPort;
    else if (portKey) {
      const binding = info.NetworkSettings.Ports[portKey]?.[0]?.HostPort;
      hostPort = binding ? Number(binding) : undefined;
    }
    debug('started %s (%s) port %s', info.Name, container.id.slice(0, 12), hostPort);
    return new StartedContainer(docker, container.id, info.Name.replace(/^\//, ''), hostPort);
  } catch (error) {
    await stopAndRemove(docker, container.id, 0).catch(() => undefined);
    throw new DockerOperationError(
      `Starting a container from ${options.image} failed: ${messageOf(error)}`,
      { cause: error },
    );
  }
}

/** Containers that carry all of the given labels (values may be omitted to match any value). */
export async function listLabelledContainers(
  docker: Docker,
  labels: Record<string, string | undefined>,
): Promise<Docker.ContainerInfo[]> {
  const filters = Object.entries(labels).map(([k, v]) => (v === undefined ? k : `${k}=${v}`));
  return docker.listContainers({ all: true, filters: { label: filters } });
}
