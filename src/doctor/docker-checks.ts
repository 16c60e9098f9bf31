import type Docker from 'dockerode';
import type { ResolvedConfig } from '../config/schema.js';
import { imageExists } from '../docker/build-image.js';
import { defaultDiscoveryContext, defaultStrategies } from '../docker/daemon-strategies.js';
import { DockerUnavailableError, type DaemonAttempt } from '../docker/docker-errors.js';
import { findDockerDaemon, type DockerDaemon } from '../docker/find-docker-daemon.js';
import { isVenomqaPostgresImage } from '../server/docker-postgres.js';
import { fail, ok, skip, warn, type DoctorCheck } from './doctor-check.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Strategies that only apply when the user chose a daemon: one of them failing is a fault. */
const EXPLICIT = new Set(['explicit setting', 'DOCKER_HOST', 'docker context']);

const START_DOCKER = 'Start the Docker daemon (`sudo systemctl start docker`, or `dockerd &`)';

/**
 * Which daemon venomqa reaches and which discovery strategy found it, trying them one by one as
 * `findDockerDaemon` does. A daemon the user chose (DOCKER_HOST, a docker context) that does
 * not answer fails the check even when a later strategy finds another one: the docker CLI and
 * other tools would use the broken one.
 */
export async function dockerDaemonCheck(
  config: ResolvedConfig,
  env: Env,
): Promise<{ check: DoctorCheck; daemon: DockerDaemon | undefined }> {
  const context = defaultDiscoveryContext(env);
  const attempts: DaemonAttempt[] = [];
  let daemon: DockerDaemon | undefined;
  for (const strategy of defaultStrategies()) {
    try {
      daemon = await findDockerDaemon({ strategies: [strategy], context, pingTimeoutMs: 2000 });
      break;
    } catch (error) {
      if (!(error instanceof DockerUnavailableError)) throw error;
      attempts.push(...error.attempts);
    }
  }
  const broken = attempts.filter((a) => EXPLICIT.has(a.strategy) && a.endpoint !== undefined);
  const needed =
    config.server.provider === 'docker' ||
    config.server.provider === 'compose' ||
    config.api.mode === 'docker';
  const tried = attempts
    .filter((a) => a.endpoint !== undefined)
    .map((a) => `${a.strategy} (${a.endpoint ?? ''}): ${a.reason}`)
    .join('; ');
  if (broken.length > 0) {
    const found = daemon ? endpointText(daemon) : undefined;
    const failures = broken.map((a) => daemonFailure(a, env, found));
    const fallback = found
      ? `; venomqa fell back to ${found}, found by the ${daemon?.strategy ?? ''} strategy, but the docker CLI would not`
      : '';
    return {
      check: fail(
        'docker',
        `${failures.map((f) => f.what).join('; ')}${fallback}`,
        [...new Set(failures.map((f) => f.fix))].join(' '),
      ),
      daemon,
    };
  }
  if (daemon) {
    return {
      check: ok(
        'docker',
        `daemon at ${endpointText(daemon)} (found by the ${daemon.strategy} strategy)`,
      ),
      daemon,
    };
  }
  if (needed) {
    return {
      check: fail(
        'docker',
        `no Docker daemon answered${tried ? `: ${tried}` : ''}`,
        `${START_DOCKER}, point DOCKER_HOST at a running one, or use server.provider: embedded.`,
      ),
      daemon,
    };
  }
  if (config.server.provider === 'auto') {
    return {
      check: warn(
        'docker',
        `no Docker daemon answered${tried ? ` (${tried})` : ''}; runs use embedded PostgreSQL`,
        `${START_DOCKER} to run PostgreSQL in Docker; or set server.provider: embedded to say you mean it.`,
      ),
      daemon,
    };
  }
  return {
    check: skip(
      'docker',
      `not needed: server.provider ${config.server.provider}, api.mode ${config.api.mode}`,
    ),
    daemon,
  };
}

/** The images a run would start from: present, built on first use, or missing. */
export async function imageChecks(
  config: ResolvedConfig,
  docker: Docker | undefined,
): Promise<DoctorCheck[]> {
  if (!docker) return [skip('images', 'no Docker daemon to look in')];
  const checks: DoctorCheck[] = [];
  if (config.server.provider === 'auto' || config.server.provider === 'docker') {
    const image = config.server.image;
    checks.push(
      (await imageExists(docker, image))
        ? ok('server-image', `${image} is present`)
        : warn(
            'server-image',
            isVenomqaPostgresImage(image)
              ? `${image} is not built yet; the first run builds it (about a minute)`
              : `${image} is not present; the first run pulls it`,
            isVenomqaPostgresImage(image)
              ? '`venomqa db up` builds it now (set VENOMQA_BASE_IMAGE where no registry answers).'
              : `\`docker pull ${image}\` now.`,
          ),
    );
  }
  const apiImage = config.api.image;
  if ((config.api.mode === 'docker' || config.api.mode === 'auto') && apiImage !== null) {
    if (config.api.build !== null) {
      checks.push(
        ok('api-image', `${apiImage} is built from ${config.api.build} whenever its inputs change`),
      );
    } else {
      checks.push(
        (await imageExists(docker, apiImage))
          ? ok('api-image', `${apiImage} is present`)
          : fail(
              'api-image',
              `${apiImage} is not present and api.build is not set`,
              `\`docker pull ${apiImage}\`, or set api.build to its build context.`,
            ),
      );
    }
  }
  return checks.length > 0 ? checks : [skip('images', 'no image is started by this config')];
}

function endpointText(daemon: DockerDaemon): string {
  const { endpoint } = daemon;
  return endpoint.type === 'socket'
    ? `unix://${endpoint.socketPath}`
    : `${endpoint.protocol}://${endpoint.host}:${endpoint.port}`;
}

/**
 * What a daemon the user chose did wrong, from the ping's error: no socket there (a stopped
 * daemon removes it; a typo never had one), nothing listening (a stale socket, a stopped
 * daemon's TCP port), no permission, or something that answers but is not Docker.
 */
function daemonFailure(
  attempt: DaemonAttempt,
  env: Env,
  found: string | undefined,
): { what: string; fix: string } {
  const socket = `${found ?? 'usually unix:///var/run/docker.sock'}${found ? ', where one answers' : ''}`;
  const [where, pointAt] =
    attempt.strategy === 'DOCKER_HOST'
      ? [
          `DOCKER_HOST=${env.DOCKER_HOST ?? ''}`,
          `point DOCKER_HOST at the daemon’s socket (${socket}) or unset it`,
        ]
      : attempt.strategy === 'docker context'
        ? [
            `the docker context ${env.DOCKER_CONTEXT ? `DOCKER_CONTEXT=${env.DOCKER_CONTEXT}` : 'in use'} (${attempt.endpoint ?? ''})`,
            `switch to a context whose daemon runs (\`docker context use default\` for ${socket})${env.DOCKER_CONTEXT ? ' or unset DOCKER_CONTEXT' : ''}`,
          ]
        : [
            `${attempt.strategy} ${attempt.endpoint ?? ''}`,
            `point DOCKER_HOST at the daemon’s socket (${socket})`,
          ];
  const reason = attempt.reason;
  if (/ENOENT/.test(reason)) {
    return {
      what: `${where}: no socket there, so no daemon listens (${reason}): the daemon is stopped, or this is the wrong socket`,
      fix: `${START_DOCKER}; or ${pointAt}.`,
    };
  }
  if (/ECONNREFUSED/.test(reason)) {
    return {
      what: `${where}: nothing listens there (${reason}): the daemon is stopped, or this is not its address`,
      fix: `${START_DOCKER}; or ${pointAt}.`,
    };
  }
  if (/EACCES|EPERM/.test(reason)) {
    return {
      what: `${where}: permission denied (${reason})`,
      fix: 'Add your user to the docker group (`sudo usermod -aG docker $USER`, then log in again), or use rootless Docker.',
    };
  }
  if (/HTTP code|unexpected|socket hang up|ECONNRESET|EPROTO/.test(reason)) {
    return {
      what: `${where} answers, but not as a Docker daemon (${reason.trim()}): the wrong socket`,
      fix: `${pointAt[0]?.toUpperCase() ?? ''}${pointAt.slice(1)}.`,
    };
  }
  return {
    what: `${where} does not answer (${reason})`,
    fix: `${START_DOCKER}; or ${pointAt}.`,
  };
}
