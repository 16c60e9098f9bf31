import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where a strategy says a daemon may live, or why it has nothing to offer. */
export type DaemonCandidate =
  { kind: 'endpoint'; endpoint: DockerEndpoint } | { kind: 'skip'; reason: string };

/** How dockerode should reach a daemon. */
export type DockerEndpoint =
  | { type: 'socket'; socketPath: string; label: string }
  | { type: 'tcp'; host: string; port: number; protocol: 'http' | 'https'; label: string };

/** What strategies may look at. Injected so tests pass fakes instead of the real process. */
export interface DiscoveryContext {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  homeDir: string;
  uid: number;
  fileExists(path: string): boolean;
  readFile(path: string): string | undefined;
}

export function defaultDiscoveryContext(
  env: Readonly<Record<string, string | undefined>> = process.env,
): DiscoveryContext {
  return {
    env,
    platform: process.platform,
    homeDir: homedir(),
    uid: process.getuid?.() ?? 0,
    fileExists: (path) => existsSync(path),
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** One place to look for a daemon. Strategies are tried in order; the first daemon that answers wins. */
export interface DaemonStrategy {
  readonly name: string;
  /**
   * A place the user configured (an explicit host, `DOCKER_HOST`, a docker context): when it
   * offers an endpoint, that is the daemon, as for the docker CLI, and no later strategy is
   * tried when it does not answer. Containers never land on another daemon than the one asked
   * for, and the error names the setting.
   */
  readonly configured?: boolean;
  candidate(context: DiscoveryContext): DaemonCandidate;
}

/**
 * Parse a `DOCKER_HOST`-style address: `unix:///path`, `tcp://host:port`, `http(s)://host:port`.
 * Returns a reason string when the address cannot be used.
 */
export function parseDockerHost(value: string, label: string): DockerEndpoint | string {
  if (value.startsWith('unix://')) {
    return { type: 'socket', socketPath: value.slice('unix://'.length), label };
  }
  if (value.startsWith('npipe://')) return 'Windows named pipes are not supported';
  if (value.startsWith('ssh://'))
    return 'ssh:// daemons are not supported; forward the socket instead';
  const match = /^(tcp|http|https):\/\/([^:/]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(value);
  if (!match) return `cannot parse '${value}'`;
  const scheme = match[1];
  const host = match[2] ?? '';
  const tls = scheme === 'https';
  return {
    type: 'tcp',
    host: host.replace(/^\[|\]$/g, ''),
    port: match[3] ? Number(match[3]) : tls ? 2376 : 2375,
    protocol: tls ? 'https' : 'http',
    label,
  };
}

function fromAddress(value: string, label: string): DaemonCandidate {
  const parsed = parseDockerHost(value, label);
  return typeof parsed === 'string'
    ? { kind: 'skip', reason: parsed }
    : { kind: 'endpoint', endpoint: parsed };
}

function socketIfExists(context: DiscoveryContext, path: string, label: string): DaemonCandidate {
  if (!context.fileExists(path)) return { kind: 'skip', reason: `${path} does not exist` };
  return { kind: 'endpoint', endpoint: { type: 'socket', socketPath: path, label } };
}

/** An address given in code or config (`dockerHost`). */
export class ExplicitHostStrategy implements DaemonStrategy {
  readonly name = 'explicit setting';
  readonly configured = true;
  readonly #host: string | undefined;
  constructor(host: string | undefined) {
    this.#host = host;
  }
  candidate(): DaemonCandidate {
    if (!this.#host) return { kind: 'skip', reason: 'not configured' };
    return fromAddress(this.#host, this.#host);
  }
}

/** The `DOCKER_HOST` variable, as the docker CLI reads it. */
export class DockerHostEnvStrategy implements DaemonStrategy {
  readonly name = 'DOCKER_HOST';
  readonly configured = true;
  candidate(context: DiscoveryContext): DaemonCandidate {
    const value = context.env.DOCKER_HOST;
    if (!value) return { kind: 'skip', reason: 'not set' };
    return fromAddress(value, value);
  }
}

/**
 * The current docker context (`DOCKER_CONTEXT`, else `currentContext` in ~/.docker/config.json),
 * whose endpoint the CLI stores under ~/.docker/contexts/meta/<sha256(name)>/meta.json.
 */
export class DockerContextStrategy implements DaemonStrategy {
  readonly name = 'docker context';
  readonly configured = true;
  candidate(context: DiscoveryContext): DaemonCandidate {
    const configDir = context.env.DOCKER_CONFIG ?? join(context.homeDir, '.docker');
    let name = context.env.DOCKER_CONTEXT;
    if (!name) {
      const raw = context.readFile(join(configDir, 'config.json'));
      if (raw === undefined)
        return { kind: 'skip', reason: `no ${join(configDir, 'config.json')}` };
      try {
        name = (JSON.parse(raw) as { currentContext?: string }).currentContext;
      } catch {
        return { kind: 'skip', reason: `${join(configDir, 'config.json')} is not valid JSON` };
      }
    }
    if (!name || name === 'default') return { kind: 'skip', reason: 'default context' };
    const digest = createHash('sha256').update(name).digest('hex');
    const metaPath = join(configDir, 'contexts', 'meta', digest, 'meta.json');
    const meta = context.readFile(metaPath);
    if (meta === undefined) return { kind: 'skip', reason: `context '${name}' has no ${metaPath}` };
    try {
      const host = (JSON.parse(meta) as { Endpoints?: { docker?: { Host?: string } } }).Endpoints
        ?.docker?.Host;
      if (!host) return { kind: 'skip', reason: `context '${name}' has no docker endpoint` };
      return fromAddress(host, `context ${name}: ${host}`);
    } catch {
      return { kind: 'skip', reason: `${metaPath} is not valid JSON` };
    }
  }
}

/** Rootless Docker's socket under the user's runtime directory. */
export class RootlessSocketStrategy implements DaemonStrategy {
  readonly name = 'rootless socket';
  candidate(context: DiscoveryContext): DaemonCandidate {
    const runtimeDir = context.env.XDG_RUNTIME_DIR ?? `/run/user/${context.uid}`;
    return socketIfExists(context, join(runtimeDir, 'docker.sock'), 'rootless');
  }
}

/** Docker Desktop's per-user sockets (macOS and Linux). */
export class DesktopSocketStrategy implements DaemonStrategy {
  readonly name = 'Docker Desktop socket';
  candidate(context: DiscoveryContext): DaemonCandidate {
    const paths = [
      join(context.homeDir, '.docker', 'run', 'docker.sock'),
      join(context.homeDir, '.docker', 'desktop', 'docker.sock'),
    ];
    const found = paths.find((p) => context.fileExists(p));
    if (!found) return { kind: 'skip', reason: `${paths.join(' and ')} do not exist` };
    return socketIfExists(context, found, 'Docker Desktop');
  }
}

/** The system socket every Linux install has. */
export class DefaultSocketStrategy implements DaemonStrategy {
  readonly name = 'default socket';
  candidate(context: DiscoveryContext): DaemonCandidate {
    if (context.platform === 'win32') return { kind: 'skip', reason: 'not on Windows' };
    return socketIfExists(context, '/var/run/docker.sock', 'default');
  }
}

/** The strategies in the order the docker CLI itself honours them. */
export function defaultStrategies(explicitHost?: string): DaemonStrategy[] {
  return [
    new ExplicitHostStrategy(explicitHost),
    new DockerHostEnvStrategy(),
    new DockerContextStrategy(),
    new RootlessSocketStrategy(),
    new DesktopSocketStrategy(),
    new DefaultSocketStrategy(),
  ];
}
