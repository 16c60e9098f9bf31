import type Docker from 'dockerode';
import createDebug from 'debug';
import {
  defaultDiscoveryContext,
  defaultStrategies,
  type DaemonStrategy,
  type DiscoveryContext,
  type DockerEndpoint,
} from './daemon-strategies.js';
import { DockerUnavailableError, type DaemonAttempt } from './docker-errors.js';
import { messageOf } from '../errors/venomqa-error.js';

const debug = createDebug('venomqa:docker');

/** A daemon that answered a ping. */
export interface DockerDaemon {
  readonly docker: Docker;
  readonly endpoint: DockerEndpoint;
  readonly strategy: string;
}

export interface FindDockerDaemonOptions {
  /** An address from code or config, tried first (`unix:///…` or `tcp://host:port`). */
  dockerHost?: string;
  strategies?: readonly DaemonStrategy[];
  context?: DiscoveryContext;
  /** How long one ping may take before the next strategy is tried. */
  pingTimeoutMs?: number;
}

// dockerode (and its ssh2 and protobuf dependencies) loads only once a command needs a daemon.
async function toDockerode(endpoint: DockerEndpoint, timeoutMs?: number): Promise<Docker> {
  const { default: Docker } = await import('dockerode');
  const timeout = timeoutMs === undefined ? {} : { timeout: timeoutMs };
  // docker-modem fills unset options from DOCKER_HOST, and a host there wins over socketPath:
  // with DOCKER_HOST=tcp://… every socket strategy would ping that host instead. host:
  // undefined keeps the socket this strategy found.
  return endpoint.type === 'socket'
    ? new Docker({ socketPath: endpoint.socketPath, host: undefined, ...timeout })
    : new Docker({
        host: endpoint.host,
        port: endpoint.port,
        protocol: endpoint.protocol,
        ...timeout,
      });
}

/**
 * Find a Docker daemon the way the docker CLI would, trying each strategy in order and pinging
 * what it offers. Throws {@link DockerUnavailableError} listing every strategy and why it failed;
 * a configured place (explicit host, `DOCKER_HOST`, docker context) that does not answer ends
 * the search, as it does for the docker CLI.
 *
 * @example
 * const { docker, endpoint } = await findDockerDaemon();
 */
export async function findDockerDaemon(
  options: FindDockerDaemonOptions = {},
): Promise<DockerDaemon> {
  const context = options.context ?? defaultDiscoveryContext();
  const strategies = options.strategies ?? defaultStrategies(options.dockerHost);
  const attempts: DaemonAttempt[] = [];
  const tried = new Set<string>();
  for (const strategy of strategies) {
    const candidate = strategy.candidate(context);
    if (candidate.kind === 'skip') {
      attempts.push({ strategy: strategy.name, reason: candidate.reason });
      continue;
    }
    const { endpoint } = candidate;
    const key =
      endpoint.type === 'socket' ? endpoint.socketPath : `${endpoint.host}:${endpoint.port}`;
    if (tried.has(key)) {
      attempts.push({ strategy: strategy.name, endpoint: key, reason: 'already tried' });
      continue;
    }
    tried.add(key);
    try {
      // The ping client has a short timeout; the returned client has none, because builds and
      // log streams legitimately take long.
      await (await toDockerode(endpoint, options.pingTimeoutMs ?? 3000)).ping();
      debug('daemon found by %s at %s', strategy.name, key);
      return { docker: await toDockerode(endpoint), endpoint, strategy: strategy.name };
    } catch (error) {
      attempts.push({ strategy: strategy.name, endpoint: key, reason: messageOf(error) });
      if (strategy.configured) {
        throw new DockerUnavailableError(attempts, { configured: `${strategy.name} (${key})` });
      }
    }
  }
  throw new DockerUnavailableError(attempts);
}

/** True when some daemon answers; never throws. */
export async function isDockerAvailable(options: FindDockerDaemonOptions = {}): Promise<boolean> {
  try {
    await findDockerDaemon(options);
    return true;
  } catch {
    return false;
  }
}
