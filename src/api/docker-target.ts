import type Docker from 'dockerode';
import createDebug from 'debug';
import { isSecretEnvName, redactText } from '../redaction/index.js';
import type { EnvRecord } from '../config/interpolate.js';
import type { DockerEndpoint } from '../docker/daemon-strategies.js';
import { venomqaLabels } from '../docker/labels.js';
import { startContainer, type NetworkMode } from '../docker/started-container.js';
import { messageOf } from '../errors/venomqa-error.js';
import { RUN_ID } from '../run-id.js';
import { ApiContainer } from './api-container.js';
import { apiContainerName } from './api-container-name.js';
import { prepareApiImage, type PreparedApiImage } from './api-image.js';
import { instanceEnvironment, secretsOf, type PlaceholderValues } from './placeholders.js';
import { DEFAULT_LOG_CAPACITY, START_ERROR_LOG_LINES } from './line-buffer.js';
import { reservePort, type PortReservation } from './reserve-port.js';
import { TargetAbortedError, TargetStartError } from './target-errors.js';
import type { AcquireOptions, Target } from './target.js';
import { healthPath, waitForHealth } from './wait-for-health.js';

const debug = createDebug('venomqa:target:docker');

/** The label naming the path an API container serves, next to venomqa's usual labels. */
export const PATH_LABEL = 'dev.venomqa.path';
/** The port the API listens on inside its container in bridge mode (published on 127.0.0.1). */
export const BRIDGE_CONTAINER_PORT = 8080;
/** The name a bridge container reaches the host by. */
export const HOST_GATEWAY = 'host.docker.internal';

export interface DockerTargetOptions {
  /** `api.image`, or the image of the `api` service of `docker_compose_file`. */
  image: string;
  /**
   * `api.build` (or that service's build context). When set, the image is built from it
   * whenever its inputs change (see `ensureImageBuilt`); when not, `image` must exist.
   */
  build?: string | null;
  /** `api.dockerfile` (or that service's `build.dockerfile`), absolute. */
  dockerfile?: string | null;
  /** `api.build_args` (or that service's `build.args`): nothing else is passed. */
  buildArgs?: Readonly<Record<string, string>>;
  /** The stage to build (the compose service's `build.target`). */
  buildTarget?: string | null;
  /** `api.env`: values may use `{database_url}`, `{port}`, `{host}`. */
  env?: Readonly<Record<string, string>>;
  health: string;
  startupTimeoutMs: number;
  /** `server.network`. */
  network: NetworkMode;
  /** Lines kept from a container when it stops, so `logs()` answers after release. */
  logLines?: number;
  /** Seconds `docker stop` waits after SIGTERM before SIGKILL. */
  stopGraceSeconds?: number;
  /** A daemon client; found the docker CLI's way when omitted. */
  docker?: Docker;
  /** Where `docker` connects, so the docker CLI builds on the same daemon. */
  endpoint?: DockerEndpoint;
  /** The environment builds see (`PATH`, `VENOMQA_DOCKER_CLI`); `process.env` by default. */
  buildEnvironment?: EnvRecord;
  /** Lines for the user (building the image); nothing is printed otherwise. */
  onProgress?: (line: string) => void;
  /** Stops an image build (Ctrl-C); a build is shared by all acquires, so it is not theirs. */
  signal?: AbortSignal;
}

/**
 * Starts the API as a container per path (`api.mode: docker`), each bound to its own database
 * clone. The first acquire finds the daemon and, when `build` is set, makes sure the image
 * matches the build inputs as they are now (rebuilding when any changed, so a container never
 * runs stale code); concurrent acquires wait for that one check.
 *
 * Containers carry venomqa's labels (role `api`, this run's id) and {@link PATH_LABEL}, run
 * Docker's init so `docker stop` works for any API, and get `DATABASE_URL` and `PORT` unless
 * `api.env` sets them.
 *
 * Networking, from `server.network`:
 * - `host`: the container shares the host's network; the API listens on a free loopback port
 *   (`PORT`, `{host}` = 127.0.0.1) and reaches the database at the URL as given.
 * - `bridge`: the API listens on port 8080 on all of the container's interfaces (`{host}` =
 *   0.0.0.0), published on the host's 127.0.0.1 only. A database URL on `localhost`/127.0.0.1
 *   is rewritten to `host.docker.internal` (mapped to the host's gateway address), since the
 *   container's own loopback is not the host's. That reaches a database listening on the
 *   gateway or on all interfaces; a database published on the host's 127.0.0.1 only (such as
 *   venomqa's own PostgreSQL container in bridge mode) is not reachable: use `host` there.
 *   A daemon with no bridge network (`dockerd --bridge=none`) gets host networking, with a
 *   progress line saying so.
 *
 * @example
 * ```ts
 * const target = new DockerTarget({
 *   image: 'shop-api:dev', build: '/repo/api', health: '/health',
 *   startupTimeoutMs: 60_000, network: 'host',
 * });
 * const api = await target.acquire(cloneUrl, { label: 'checkout/pay' });
 * try { await fetch(`${api.baseUrl}/orders`); } finally { await api.release(); }
 * ```
 */
export class DockerTarget implements Target {
  readonly mode = 'docker';
  readonly isolation = 'per-path';
  readonly #options: Readonly<DockerTargetOptions>;
  #prepared: Promise<PreparedApiImage> | undefined;

  constructor(options: DockerTargetOptions) {
    this.#options = Object.freeze({ ...options, env: { ...options.env } });
  }

  get image(): string {
    return this.#options.image;
  }

  async acquire(databaseUrl: string, options: AcquireOptions): Promise<ApiContainer> {
    const { label, signal } = options;
    if (signal?.aborted) throw new TargetAbortedError(label, { cause: signal.reason });
    const { docker, network, image } = await untilAborted(this.#prepare(), label, signal);
    const secrets = secretsOf(databaseUrl);
    const port: PortReservation | undefined = network === 'host' ? await reservePort() : undefined;
    const values: PlaceholderValues =
      port !== undefined
        ? { database_url: databaseUrl, port: String(port.port), host: '127.0.0.1' }
        : {
            database_url: reachableFromBridge(databaseUrl),
            port: String(BRIDGE_CONTAINER_PORT),
            host: '0.0.0.0',
          };

    let container;
    try {
      container = await startContainer(docker, {
        image,
        name: apiContainerName(label),
        ...splitSecretEnvironment(instanceEnvironment(this.#options.env ?? {}, values), secrets),
        labels: { ...venomqaLabels({ role: 'api', runId: RUN_ID }), [PATH_LABEL]: label },
        network,
        containerPort: Number(values.port),
        init: true,
        ...(network === 'bridge' ? { extraHosts: [`${HOST_GATEWAY}:host-gateway`] } : {}),
      });
    } catch (error) {
      port?.release();
      throw new TargetStartError(
        `Starting the API container for path ${label} from ${image} failed: ${redactText(messageOf(error), secrets)}`,
        { label, logLines: [] },
        { cause: error },
      );
    }

    const hostPort = container.hostPort;
    const health = healthPath(this.#options.health);
    const api = new ApiContainer({
      docker,
      container,
      baseUrl: `http://127.0.0.1:${hostPort}`,
      healthUrl: `http://127.0.0.1:${hostPort}${health}`,
      label,
      secrets,
      logCapacity: this.#options.logLines ?? DEFAULT_LOG_CAPACITY,
      stopGraceSeconds: this.#options.stopGraceSeconds ?? 5,
      ...(port ? { port } : {}),
    });
    try {
      if (hostPort === undefined) throw new Error('Docker did not publish the API port');
      // An inspect per 50 ms poll would load the daemon for nothing: ask every 250 ms.
      let checkedAt = 0;
      const outcome = await waitForHealth({
        url: `${api.baseUrl}${health}`,
        timeoutMs: this.#options.startupTimeoutMs,
        ...(signal ? { signal } : {}),
        isGone: async () => {
          if (Date.now() - checkedAt < 250) return undefined;
          checkedAt = Date.now();
          return api.exitReason();
        },
      });
      if (outcome.kind === 'healthy') {
        debug('[%s] %s healthy at %s', label, container.name, api.baseUrl);
        return api;
      }
      const logLines = await api.logs(START_ERROR_LOG_LINES).catch(() => []);
      await api.release();
      const subject = `The API container ${container.name} for path ${label} (image ${image})`;
      switch (outcome.kind) {
        case 'aborted':
          throw new TargetAbortedError(label, { cause: outcome.reason });
        case 'gone':
          throw new TargetStartError(
            `${subject} ${outcome.reason} before GET ${health} answered 2xx`,
            { label, logLines },
            { hint: `Run \`docker run --rm ${image}\` with DATABASE_URL and PORT set to see why.` },
          );
        case 'timeout':
          throw new TargetStartError(
            `${subject} did not answer GET ${api.baseUrl}${health} with 2xx within ` +
              `${this.#options.startupTimeoutMs / 1000} s` +
              `${outcome.detail ? ` (last attempt: ${redactText(outcome.detail, secrets)})` : ''}`,
            { label, logLines },
            {
              hint:
                network === 'host'
                  ? 'Check that the API listens on $PORT on 127.0.0.1 and that api.health is a path it answers with 2xx, or raise api.startup_timeout.'
                  : 'Check that the API listens on $PORT on 0.0.0.0 (all interfaces of its container) and that api.health is a path it answers with 2xx, or raise api.startup_timeout.',
            },
          );
      }
    } catch (error) {
      // Whatever went wrong, the container must not outlive the failed acquire.
      await api.release().catch(() => undefined);
      if (error instanceof TargetStartError || error instanceof TargetAbortedError) throw error;
      throw new TargetStartError(
        `Starting the API container ${container.name} for path ${label} failed: ${redactText(messageOf(error), secrets)}`,
        { label, logLines: [] },
        { cause: error },
      );
    }
  }

  /** Find the daemon and make sure the image is current, once for all acquires. */
  #prepare(): Promise<PreparedApiImage> {
    this.#prepared ??= prepareApiImage(this.#options).catch((error: unknown) => {
      // Let a later acquire try again (the daemon may have been started meanwhile).
      this.#prepared = undefined;
      throw error;
    });
    return this.#prepared;
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The database URL as a bridge container must write it: the host's loopback is not its own. */
export function reachableFromBridge(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (!LOOPBACK_HOSTS.has(url.hostname)) return databaseUrl;
    url.hostname = HOST_GATEWAY;
    return url.toString();
  } catch {
    return databaseUrl;
  }
}

/** `venomqa-api-<run>-<path>-<random>`: readable in `docker ps`, unique across parallel paths. */
/**
 * The API's variables, with those that hold the database password (or are named like a secret)
 * apart: they reach the container through a file, not `docker inspect` (see `secretEnv`).
 */
function splitSecretEnvironment(
  env: Readonly<Record<string, string>>,
  secrets: readonly string[],
): { env: Record<string, string>; secretEnv: Record<string, string> } {
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const holdsSecret = isSecretEnvName(name) || secrets.some((s) => s !== '' && value.includes(s));
    (holdsSecret ? secret : plain)[name] = value;
  }
  return { env: plain, secretEnv: secret };
}

/** `promise`, or a {@link TargetAbortedError} as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, label: string, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new TargetAbortedError(label, { cause: signal.reason }));
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
