import { accessSync, constants, realpathSync } from 'node:fs';
import path from 'node:path';
import createDebug from 'debug';
import type { EnvRecord } from '../config/interpolate.js';
import { messageOf } from '../errors/venomqa-error.js';

const debug = createDebug('venomqa:docker:build');

/** The variable naming the docker CLI to build with (`none`: the Docker API's classic builder). */
export const DOCKER_CLI_VARIABLE = 'VENOMQA_DOCKER_CLI';

/** A docker CLI that builds with BuildKit. */
export interface BuildCli {
  /** The executable, absolute. */
  readonly path: string;
  /** The CLI's own version (`20.10.24+dfsg1`). */
  readonly version: string;
  /**
   * `buildx`: `docker buildx build --load` (the buildx plugin). `daemon`: `DOCKER_BUILDKIT=1
   * docker build` on a CLI older than 23.0, which runs the build on the daemon's own BuildKit
   * (a 23+ CLI refuses that without buildx).
   */
  readonly kind: 'buildx' | 'daemon';
}

/** What the search found, and why each other candidate was passed over. */
export interface BuildCliSearch {
  readonly cli: BuildCli | undefined;
  readonly tried: readonly { path: string; reason: string }[];
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface FindBuildCliOptions {
  /** `PATH` and {@link DOCKER_CLI_VARIABLE}; `process.env` by default. */
  env?: EnvRecord;
  /** Runs a probe command; injected by tests. */
  run?: (file: string, args: readonly string[]) => Promise<CommandResult>;
  /** Resolves a candidate to an absolute executable, or undefined; injected by tests. */
  resolveExecutable?: (candidate: string) => string | undefined;
}

/**
 * Finds the docker CLI that builds like the user's own `docker build` with BuildKit:
 *
 * 1. `VENOMQA_DOCKER_CLI` when set: that CLI only (a path, or a name looked up on `PATH`);
 *    `none` means no CLI, so builds go to the Docker API's classic builder.
 * 2. Otherwise every `docker` on `PATH`, in order (a machine may have a 23+ CLI without buildx
 *    first and an older CLI that can still build with BuildKit behind it).
 *
 * A candidate qualifies when `docker buildx version` works, or when it is older than 23.0
 * (`DOCKER_BUILDKIT=1 docker build` then uses the daemon's BuildKit). `cli` is undefined when
 * none qualifies; `tried` says why, for the note or the error.
 *
 * @example
 * ```ts
 * const { cli, tried } = await findBuildCli();
 * console.log(cli ? `${cli.path} (${cli.kind})` : tried.map((t) => t.reason).join('; '));
 * ```
 */
export async function findBuildCli(options: FindBuildCliOptions = {}): Promise<BuildCliSearch> {
  const env = options.env ?? process.env;
  const run = options.run ?? runProbe;
  const resolve = options.resolveExecutable ?? ((c: string) => resolveExecutable(c, env));
  const named = env[DOCKER_CLI_VARIABLE]?.trim();
  if (named === 'none') {
    return { cli: undefined, tried: [{ path: 'none', reason: `${DOCKER_CLI_VARIABLE}=none` }] };
  }
  const candidates = named ? [named] : dockersOnPath(env.PATH ?? '');
  const tried: { path: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    const executable = resolve(candidate);
    if (executable === undefined) {
      if (named) tried.push({ path: candidate, reason: 'not found or not executable' });
      continue;
    }
    // /bin/docker and /usr/bin/docker are one file on merged-/usr systems: probe it once.
    const identity = realPath(executable);
    if (seen.has(identity)) continue;
    seen.add(identity);
    const verdict = await probe(executable, run);
    if ('cli' in verdict) {
      debug('building with %s (%s, %s)', executable, verdict.cli.version, verdict.cli.kind);
      return { cli: verdict.cli, tried };
    }
    tried.push({ path: executable, reason: verdict.reason });
  }
  if (tried.length === 0) tried.push({ path: 'docker', reason: 'no docker CLI on PATH' });
  return { cli: undefined, tried };
}

async function probe(
  executable: string,
  run: NonNullable<FindBuildCliOptions['run']>,
): Promise<{ cli: BuildCli } | { reason: string }> {
  let versionOutput: CommandResult;
  try {
    versionOutput = await run(executable, ['--version']);
  } catch (error) {
    return { reason: `cannot run it: ${messageOf(error)}` };
  }
  const version = /^Docker version ([^\s,]+)/m.exec(versionOutput.stdout)?.[1];
  if (versionOutput.exitCode !== 0 || version === undefined) {
    return { reason: `\`${executable} --version\` does not name a Docker CLI` };
  }
  const buildx = await run(executable, ['buildx', 'version']).catch(() => undefined);
  if (buildx?.exitCode === 0) return { cli: { path: executable, version, kind: 'buildx' } };
  const major = Number(version.split('.')[0]);
  if (major < 23) return { cli: { path: executable, version, kind: 'daemon' } };
  const why = firstLine(buildx?.stderr ?? '') || 'failed';
  return {
    reason: `Docker CLI ${version} has no buildx plugin (\`docker buildx version\`: ${why}), and from 23.0 on the CLI builds with BuildKit only through buildx`,
  };
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}

/** `docker` in each folder of `PATH`, in order. */
function dockersOnPath(pathVariable: string): string[] {
  return pathVariable
    .split(path.delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => path.join(dir, 'docker'));
}

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** An absolute executable for a path or a name on `PATH`; undefined if there is none. */
function resolveExecutable(candidate: string, env: EnvRecord): string | undefined {
  const paths = candidate.includes('/')
    ? [candidate]
    : (env.PATH ?? '')
        .split(path.delimiter)
        .filter((dir) => dir !== '')
        .map((dir) => path.join(dir, candidate));
  for (const file of paths) {
    try {
      accessSync(file, constants.X_OK);
      return path.resolve(file);
    } catch {
      // not there, or not executable: the next one
    }
  }
  return undefined;
}

async function runProbe(file: string, args: readonly string[]): Promise<CommandResult> {
  // execa loads when a build needs a CLI, not with every import of the docker layer.
  const { execa } = await import('execa');
  const r = await execa(file, args, { reject: false, timeout: 15_000, stdin: 'ignore' });
  return { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
}
