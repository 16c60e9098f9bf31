import createDebug from 'debug';
import type { ResolvedConfig } from '../config/schema.js';
import { DockerUnavailableError } from '../docker/docker-errors.js';
import { findDockerDaemon, type DockerDaemon } from '../docker/find-docker-daemon.js';
import { assertPortFree } from './assert-port-free.js';
import { startDockerPostgres } from './docker-postgres.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { ServerConfigError } from './server-errors.js';
import type { PostgresServer } from './postgres-server.js';
import { connectUrlPostgres } from './url-postgres.js';
import { startComposePostgres } from './compose-postgres.js';

const debug = createDebug('venomqa:server');

export interface StartPostgresOptions {
  signal?: AbortSignal;
  /** Progress lines (image builds, the provider picked and why); the CLI prints them on stderr. */
  onProgress?: (line: string) => void;
  /** Keep an embedded cluster here instead of a temporary folder (see `venomqa db up`). */
  embeddedRootDir?: string;
  /** Let an embedded server outlive this process. */
  detached?: boolean;
  /** Name for a docker container. */
  containerName?: string;
  /** Extra container labels. */
  labels?: Record<string, string>;
  role?: 'postgres' | 'managed-db';
  /** Variables for `docker compose` (provider `compose`). Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
}

type ServerConfig = Pick<ResolvedConfig, 'server' | 'db_url'> &
  Partial<Pick<ResolvedConfig, 'docker_compose_file'>>;

/**
 * Pick the provider: `docker` when a daemon answers, else `embedded`. `url` is never picked by
 * `auto`: pointing at an existing server is always an explicit choice.
 */
export async function chooseProvider(
  config: ServerConfig,
  onProgress?: (line: string) => void,
): Promise<{ provider: 'docker' | 'embedded' | 'url' | 'compose'; daemon?: DockerDaemon }> {
  const provider = config.server.provider;
  if (provider === 'url' || provider === 'embedded' || provider === 'compose') return { provider };
  if (provider === 'docker') return { provider, daemon: await findDockerDaemon() };
  try {
    return { provider: 'docker', daemon: await findDockerDaemon() };
  } catch (error) {
    if (!(error instanceof DockerUnavailableError)) throw error;
    onProgress?.(
      'No Docker daemon answered; using embedded PostgreSQL (set server.provider to choose).',
    );
    debug('%s', error.message);
    return { provider: 'embedded' };
  }
}

/**
 * Start (or, for `url`, connect to) the PostgreSQL server the config describes, ready for a
 * real query. Stop it with `stop()` or `await using`.
 *
 * @example
 * await using server = await startPostgres(resolveConfig({ cwd, env: process.env }));
 * console.log(server.version);
 */
export async function startPostgres(
  config: ServerConfig,
  options: StartPostgresOptions = {},
): Promise<PostgresServer> {
  const { server } = config;
  const { provider, daemon } = await chooseProvider(config, options.onProgress);
  // A configured port must be free: found now, not after initdb or an image start. (A daemon
  // reached over TCP publishes ports on its own machine, which cannot be checked from here.)
  const portIsLocal =
    provider === 'embedded' || (provider === 'docker' && daemon?.endpoint.type === 'socket');
  if (server.port !== null && portIsLocal) await assertPortFree(server.port);
  const startupTimeoutMs = server.startup_timeout * 1000;
  const signal = options.signal ? { signal: options.signal } : {};
  switch (provider) {
    case 'url': {
      if (!config.db_url) {
        throw new ServerConfigError('server.provider is "url" but db_url is not set', {
          hint: 'Set db_url in venomqa.yaml or VENOMQA_DB_URL, or use provider auto.',
        });
      }
      return connectUrlPostgres(config.db_url, { timeoutMs: startupTimeoutMs, ...signal });
    }
    case 'docker':
      return startDockerPostgres({
        image: server.image,
        baseImage: server.base_image,
        network: server.network,
        port: server.port,
        tmpfs: server.tmpfs,
        user: server.user,
        password: server.password,
        database: server.database,
        startupTimeoutMs,
        ...(daemon ? { docker: daemon.docker } : {}),
        ...(options.role ? { role: options.role } : {}),
        ...(options.containerName ? { name: options.containerName } : {}),
        ...(options.labels ? { extraLabels: options.labels } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...signal,
      });
    case 'compose':
      return startComposePostgres({
        file: config.docker_compose_file ?? 'docker-compose.qa.yml',
        env: options.env ?? process.env,
        startupTimeoutMs,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...signal,
      });
    case 'embedded':
      return startEmbeddedPostgres({
        ...(options.embeddedRootDir ? { rootDir: options.embeddedRootDir } : {}),
        port: server.port,
        user: server.user,
        password: server.password,
        database: server.database,
        startupTimeoutMs,
        detached: options.detached ?? false,
        ...signal,
      });
  }
}
