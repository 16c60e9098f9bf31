import { access, readdir, readFile, realpath } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import type Docker from 'dockerode';
import createDebug from 'debug';
import { imageExists } from '../../docker/build-image.js';
import { DockerUnavailableError } from '../../docker/docker-errors.js';
import { findDockerDaemon } from '../../docker/find-docker-daemon.js';
import type { NetworkMode } from '../../docker/started-container.js';
import { messageOf } from '../../errors/venomqa-error.js';
import {
  ensurePostgresImage,
  isVenomqaPostgresImage,
  postgresImageDir,
} from '../../server/docker-postgres.js';
import { DockerPgTools, runToolContainer } from './docker-pg-tools.js';
import { LocalPgTools, probeToolDirectory } from './local-pg-tools.js';
import { PgDumpUnavailableError, type PgToolsCandidate } from './pg-dump-errors.js';
import { parseToolVersion, type PgTools } from './pg-tools.js';

const debug = createDebug('venomqa:snapshot:dump');

/** Where Debian and Ubuntu install each PostgreSQL major version's programs. */
export const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';

export interface DockerToolsOptions {
  /** The PostgreSQL image whose pg_dump to run (config `server.image`). */
  image: string;
  /** `BASE_IMAGE` when venomqa builds its own image (config `server.base_image`). */
  baseImage: string;
  /** Config `server.network`; builds use host networking on daemons without a bridge anyway. */
  network: NetworkMode;
  /** A daemon to use instead of finding one. */
  docker?: Docker;
}

export interface LocatePgToolsOptions {
  /** The oldest major version that will do (pg_dump refuses servers newer than itself). */
  requiredMajor: number;
  /** What the tools are for, in messages: `the server (PostgreSQL 17.6)`. */
  purpose: string;
  /** Read for `VENOMQA_PG_BIN` and `PATH`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Debian's layout root; a parameter so tests can point it elsewhere. */
  debianRoot?: string;
  /** Run the tools from a PostgreSQL image when a daemon answers; `false` never tries. */
  docker?: DockerToolsOptions | false;
  /** Says which tools were chosen, and image builds. */
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * Find pg_dump and pg_restore at least as new as `requiredMajor`, in this order:
 *
 * 1. `VENOMQA_PG_BIN`, a directory, when set. It is an explicit choice, so when it does not fit
 *    that is the error: nothing else is used behind the user's back.
 * 2. On this machine: every `PATH` directory holding a `pg_dump`, and Debian's
 *    `/usr/lib/postgresql/<major>/bin`. The newest major that is new enough wins.
 * 3. When a Docker daemon answers: the PostgreSQL image of the config (`server.image`, built
 *    from the package's Dockerfile when it is venomqa's and missing), each tool run in a
 *    throwaway container with host networking.
 *
 * Throws {@link PgDumpUnavailableError} listing everything found, with versions.
 *
 * @example
 * const tools = await locatePgTools({ requiredMajor: 17, purpose: 'the server (PostgreSQL 17.6)' });
 * await tools.dump(toolConnection(url), 'state.dump');
 */
export async function locatePgTools(options: LocatePgToolsOptions): Promise<PgTools> {
  const env = options.env ?? process.env;
  const required = options.requiredMajor;
  const tooOld = `older than ${required}`;
  const chose = (tools: PgTools, skipped: readonly PgToolsCandidate[]): PgTools => {
    const passed = skipped.filter((c) => c.version).map((c) => `${c.where} has ${c.version}`);
    options.onProgress?.(
      `Using pg_dump/pg_restore ${tools.version} from ${tools.where} (${options.purpose} needs ${required} or newer` +
        `${passed.length ? `; ${passed.join(', ')}` : ''})`,
    );
    return tools;
  };

  const explicit = env.VENOMQA_PG_BIN?.trim();
  if (explicit) {
    const dir = resolve(explicit);
    const probe = await probeToolDirectory(dir);
    const where = `${dir} (VENOMQA_PG_BIN)`;
    if ('problem' in probe || probe.major < required) {
      throw new PgDumpUnavailableError(
        {
          what: options.purpose,
          requiredMajor: required,
          candidates: [
            'problem' in probe
              ? { where, problem: probe.problem }
              : { where, ...probe, problem: tooOld },
          ],
        },
        {
          hint: `Point VENOMQA_PG_BIN at the bin directory of PostgreSQL ${required} or newer, or unset it to let venomqa look on PATH and in Docker.`,
        },
      );
    }
    return chose(new LocalPgTools(dir, probe), []);
  }

  const candidates: PgToolsCandidate[] = [];
  let best: LocalPgTools | undefined;
  for (const dir of await localToolDirectories(env, options.debianRoot ?? DEBIAN_POSTGRES_ROOT)) {
    const probe = await probeToolDirectory(dir);
    if ('problem' in probe) {
      candidates.push({ where: dir, problem: probe.problem });
      continue;
    }
    const fits = probe.major >= required;
    candidates.push({ where: dir, ...probe, ...(fits ? {} : { problem: tooOld }) });
    if (fits && (!best || probe.major > best.major)) best = new LocalPgTools(dir, probe);
  }
  if (best) {
    const chosen = best;
    return chose(
      chosen,
      candidates.filter((c) => c.where !== chosen.where),
    );
  }

  if (options.docker) {
    const found = await dockerTools(options.docker, required, options);
    if ('tools' in found) return chose(found.tools, candidates);
    candidates.push(found.candidate);
  }
  throw new PgDumpUnavailableError({
    what: options.purpose,
    requiredMajor: required,
    candidates,
  });
}

/** PATH directories that hold a pg_dump, then Debian's per-version directories, newest first. */
async function localToolDirectories(
  env: Readonly<Record<string, string | undefined>>,
  debianRoot: string,
): Promise<string[]> {
  const dirs: string[] = [];
  // /bin and /usr/bin are one directory on merged-/usr systems: probe it once.
  const seen = new Set<string>();
  const add = async (dir: string): Promise<void> => {
    const real = await realpath(dir).catch(() => undefined);
    if (real === undefined || seen.has(real)) return;
    seen.add(real);
    dirs.push(dir);
  };
  for (const entry of (env.PATH ?? '').split(delimiter)) {
    if (!entry) continue;
    const dir = resolve(entry);
    const hasPgDump = await access(join(dir, 'pg_dump')).then(
      () => true,
      () => false,
    );
    if (hasPgDump) await add(dir);
  }
  const majors = await readdir(debianRoot).catch(() => [] as string[]);
  for (const major of majors
    .filter((m) => /^\d+(\.\d+)?$/.test(m))
    .sort((a, b) => Number(b) - Number(a))) {
    await add(join(debianRoot, major, 'bin'));
  }
  return dirs;
}

/** The PostgreSQL major version an image was built for, without starting it, when it says. */
async function imageMajor(docker: Docker, image: string): Promise<number | undefined> {
  if (await imageExists(docker, image)) {
    const info = await docker.getImage(image).inspect();
    // Both venomqa's image and the official one set PG_MAJOR.
    const env = info.Config?.Env ?? [];
    const value = env.find((e) => e.startsWith('PG_MAJOR='))?.slice('PG_MAJOR='.length);
    return value && /^\d+$/.test(value) ? Number(value) : undefined;
  }
  if (isVenomqaPostgresImage(image)) {
    // Not built yet: the Dockerfile that would build it says which version it installs.
    const dockerfile = await readFile(join(postgresImageDir(), 'Dockerfile'), 'utf8').catch(
      () => '',
    );
    const value = /\bPG_MAJOR=(\d+)/.exec(dockerfile)?.[1];
    return value ? Number(value) : undefined;
  }
  return undefined;
}

async function dockerTools(
  config: DockerToolsOptions,
  required: number,
  options: Pick<LocatePgToolsOptions, 'onProgress' | 'signal'>,
): Promise<{ tools: PgTools } | { candidate: PgToolsCandidate }> {
  const where = `docker image ${config.image}`;
  let docker: Docker;
  try {
    docker = config.docker ?? (await findDockerDaemon()).docker;
  } catch (error) {
    if (!(error instanceof DockerUnavailableError)) throw error;
    debug('%s', error.message);
    return { candidate: { where: 'docker', problem: 'no Docker daemon answered' } };
  }
  try {
    // Do not build or pull an image that is known to be too old.
    const known = await imageMajor(docker, config.image);
    if (known !== undefined && known < required) {
      return {
        candidate: {
          where,
          version: String(known),
          major: known,
          problem: `older than ${required}`,
        },
      };
    }
    const networks = await docker.listNetworks();
    const network: NetworkMode =
      config.network === 'host' || !networks.some((n) => n.Name === 'bridge') ? 'host' : 'bridge';
    await ensurePostgresImage(docker, {
      image: config.image,
      baseImage: config.baseImage,
      network,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const run = await runToolContainer(docker, config.image, ['pg_dump', '--version'], {
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const version = run.status === 0 ? parseToolVersion(run.stdout) : undefined;
    if (!version) {
      return {
        candidate: {
          where,
          problem: `pg_dump --version did not answer with a version (status ${run.status ?? 'none'})`,
        },
      };
    }
    if (version.major < required) {
      return { candidate: { where, ...version, problem: `older than ${required}` } };
    }
    return { tools: new DockerPgTools(docker, config.image, version) };
  } catch (error) {
    options.signal?.throwIfAborted();
    return { candidate: { where, problem: messageOf(error).split('\n')[0] ?? 'failed' } };
  }
}
