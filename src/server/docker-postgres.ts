import type Docker from 'dockerode';
import createDebug from 'debug';
import { buildImage, imageExists } from '../docker/build-image.js';
import { DockerOperationError } from '../docker/docker-errors.js';
import { effectiveNetwork } from '../docker/effective-network.js';
import { findDockerDaemon } from '../docker/find-docker-daemon.js';
import { LABEL, venomqaLabels, type ContainerRole } from '../docker/labels.js';
import { startContainer, type NetworkMode } from '../docker/started-container.js';
import { messageOf } from '../errors/venomqa-error.js';
import { packagePath } from '../package-root.js';
import { RUN_ID } from '../run-id.js';
import { findFreePort } from '../free-port.js';
import { PostgresStartError } from './server-errors.js';
import { postgresServer, type PostgresServer } from './postgres-server.js';
import { formatPostgresUrl, generatePassword } from './postgres-url.js';
import { waitForPostgres } from './wait-for-postgres.js';

const debug = createDebug('venomqa:server:docker');

/** The Dockerfile folder shipped in the package (`images/postgres`). */
export function postgresImageDir(): string {
  return packagePath('images', 'postgres');
}

/** Images venomqa can build itself from {@link postgresImageDir} when they are missing. */
export function isVenomqaPostgresImage(image: string): boolean {
  return image.startsWith('venomqa/postgres:');
}

export interface DockerPostgresOptions {
  image: string;
  /** `BASE_IMAGE` build argument when venomqa builds its own image. */
  baseImage: string;
  network: NetworkMode;
  /** Host port; null picks one (Docker picks in bridge mode, we pick a free one in host mode). */
  port: number | null;
  /** Keep the data directory in memory. */
  tmpfs: boolean;
  user: string;
  password: string | null;
  database: string;
  startupTimeoutMs: number;
  role?: ContainerRole;
  name?: string;
  extraLabels?: Record<string, string>;
  docker?: Docker;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

/** Make sure `image` exists locally, building venomqa's own image or pulling any other one. */
export async function ensurePostgresImage(
  docker: Docker,
  options: Pick<DockerPostgresOptions, 'image' | 'baseImage' | 'network' | 'signal' | 'onProgress'>,
): Promise<void> {
  if (await imageExists(docker, options.image)) return;
  if (isVenomqaPostgresImage(options.image)) {
    const contextDir = postgresImageDir();
    options.onProgress?.(
      `Building ${options.image} from ${contextDir} on ${options.baseImage} (once; later runs reuse it)`,
    );
    await buildImage(docker, {
      contextDir,
      tag: options.image,
      buildArgs: { BASE_IMAGE: options.baseImage },
      labels: { [LABEL.managed]: 'true' },
      // Machines without a bridge (like our CI) still let a build reach package mirrors this way.
      ...(options.network === 'host' ? { networkMode: 'host' } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return;
  }
  options.onProgress?.(`Pulling ${options.image}`);
  try {
    const stream = await docker.pull(options.image);
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve())),
    );
  } catch (error) {
    throw new DockerOperationError(
      `Image ${options.image} is not available locally and pulling it failed: ${messageOf(error)}`,
      {
        cause: error,
        hint: `Pull or build ${options.image} yourself, or use the default image venomqa/postgres:17.`,
      },
    );
  }
}

/** Where the password waits in the container (`POSTGRES_PASSWORD_FILE`, as the official image reads it). */
const PASSWORD_FILE = '/run/venomqa/postgres-password';

/**
 * Start PostgreSQL in a labelled container and wait until a real query succeeds. On failure the
 * container is removed and the error carries its last log lines.
 */
export async function startDockerPostgres(options: DockerPostgresOptions): Promise<PostgresServer> {
  const docker = options.docker ?? (await findDockerDaemon()).docker;
  const network = await effectiveNetwork(
    docker,
    options.network,
    'PostgreSQL containers',
    options.onProgress,
  );
  options = { ...options, network };
  await ensurePostgresImage(docker, options);
  const password = options.password ?? generatePassword();
  const containerPort =
    options.network === 'host' ? (options.port ?? (await findFreePort())) : 5432;
  const container = await startContainer(docker, {
    image: options.image,
    ...(options.name ? { name: options.name } : {}),
    env: {
      POSTGRES_USER: options.user,
      POSTGRES_PASSWORD_FILE: PASSWORD_FILE,
      POSTGRES_DB: options.database,
      // Official-image compatible: postgres listens on PGPORT, which host networking needs.
      PGPORT: String(containerPort),
      // With host networking, listen on loopback only; in a bridge the port is published on
      // 127.0.0.1 by Docker, and the server must listen on the container's interface.
      VENOMQA_LISTEN: options.network === 'host' ? '127.0.0.1' : '*',
    },
    // A file the image's entrypoint and healthcheck read, so `docker inspect` does not show it.
    files: { [PASSWORD_FILE]: password },
    labels: {
      ...venomqaLabels({ role: options.role ?? 'postgres', runId: RUN_ID }),
      ...options.extraLabels,
    },
    network: options.network,
    containerPort,
    ...(options.tmpfs ? { tmpfs: { '/var/lib/postgresql/data': 'rw,mode=0700' } } : {}),
    shmSizeBytes: 256 * 1024 * 1024,
  });
  try {
    const port =
      options.network === 'bridge' ? (options.port ?? container.hostPort) : containerPort;
    if (port === undefined) throw new Error('Docker did not publish a port');
    const adminUrl = formatPostgresUrl({
      host: '127.0.0.1',
      port,
      user: options.user,
      password,
      database: options.database,
    });
    const ready = await waitForPostgres(adminUrl, {
      timeoutMs: options.startupTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      isGone: async () =>
        (await container.isRunning()) ? undefined : `container ${container.name} exited`,
    });
    debug('ready: %s on port %d', ready.version, port);
    return postgresServer({
      provider: 'docker',
      adminUrl,
      ready,
      id: container.id,
      logs: (count = 50) => container.logs(count),
      stop: () => container.stop(),
    });
  } catch (error) {
    const logs = await container.logs(30).catch(() => []);
    await container.stop(0).catch(() => undefined);
    throw new PostgresStartError(
      `PostgreSQL in ${options.image} did not become ready: ${messageOf(error)}`,
      logs,
      { cause: error },
    );
  }
}
