import createDebug from 'debug';
import type { EnvRecord } from '../config/interpolate.js';
import { redactText } from '../redaction/index.js';
import { messageOf } from '../errors/venomqa-error.js';
import { ImageBuildAbortedError, ImageBuildError } from './build-errors.js';
import { BuildOutput } from './build-output.js';
import type { DockerEndpoint } from './daemon-strategies.js';
import type { BuildCli } from './find-build-cli.js';
import type { ImageBuildRequest } from './image-build-request.js';

const debug = createDebug('venomqa:docker:build');

export interface CliBuildOptions {
  /** The daemon venomqa talks to, so the CLI builds there too (unset: the CLI's own choice). */
  endpoint?: DockerEndpoint;
  /** The environment the CLI runs in; `process.env` by default. */
  env?: EnvRecord;
}

/**
 * Builds with the docker CLI and BuildKit, as the user's own `docker build` would: the CLI
 * sends the context itself (honouring `.dockerignore`, keeping symlinks), reads a Dockerfile
 * outside the context through `-f`, and prints BuildKit's plain progress, of which a line
 * per step reaches `onStep`.
 *
 * Build argument values travel in the CLI's environment (`--build-arg NAME` reads them from
 * there), so a token never shows in `ps`. Aborting `signal` stops the CLI, which cancels the
 * build on the daemon; the promise then rejects with {@link ImageBuildAbortedError}.
 */
export async function buildWithCli(
  cli: BuildCli,
  request: ImageBuildRequest,
  options: CliBuildOptions = {},
): Promise<void> {
  const { context } = request;
  const env: Record<string, string | undefined> = {
    ...(options.env ?? process.env),
    DOCKER_BUILDKIT: '1',
    BUILDKIT_PROGRESS: 'plain',
  };
  if (options.endpoint?.type === 'socket') {
    env.DOCKER_HOST = `unix://${options.endpoint.socketPath}`;
    delete env.DOCKER_CONTEXT;
  }
  const args = cli.kind === 'buildx' ? ['buildx', 'build', '--load'] : ['build'];
  args.push('--progress=plain', '-f', context.dockerfile);
  for (const tag of request.tags) args.push('-t', tag);
  for (const [name, value] of Object.entries(request.labels ?? {})) {
    args.push('--label', `${name}=${value}`);
  }
  for (const [name, value] of Object.entries(request.buildArgs ?? {})) {
    if (passesThroughEnvironment(name)) {
      env[name] = value;
      args.push('--build-arg', name);
    } else {
      args.push('--build-arg', `${name}=${value}`);
    }
  }
  if (request.target) args.push('--target', request.target);
  if (request.networkMode) args.push('--network', request.networkMode);
  args.push(context.contextDir);

  const output = new BuildOutput(request.onStep, (line) => debug(line));
  const image = request.tags[0] ?? context.contextDir;
  // Build argument values may be tokens: never in a log line.
  const shown = args.map((arg, i) =>
    args[i - 1] === '--build-arg' ? arg.replace(/=.*/s, '=***') : arg,
  );
  debug('%s %s', cli.path, shown.join(' '));
  const { execa } = await import('execa');
  const subprocess = execa(cli.path, args, {
    env,
    extendEnv: false,
    all: true,
    buffer: false,
    reject: false,
    stdin: 'ignore',
    ...(request.signal ? { cancelSignal: request.signal } : {}),
    forceKillAfterDelay: 5000,
  });
  try {
    for await (const line of subprocess.iterable({ from: 'all' })) output.push(line);
  } catch (error) {
    debug('reading build output: %s', messageOf(error));
  }
  const result = await subprocess;
  if (request.signal?.aborted || result.isCanceled) {
    throw new ImageBuildAbortedError(image, request.signal?.reason);
  }
  if (result.exitCode !== 0) {
    const how =
      result.exitCode !== undefined
        ? `exited with code ${result.exitCode}`
        : result.signal !== undefined
          ? `was killed (${result.signal})`
          : `could not be run (${redactText(messageOf(result))})`;
    throw new ImageBuildError(
      `Building the image ${image} from ${context.contextDir} (Dockerfile ${context.dockerfile}) with ${describeCli(cli)} failed: the CLI ${how}`,
      output.tail().map((line) => redactText(line)),
      {
        hint: `Fix the step that failed; to see all of the build's output, run it yourself: ${commandFor(cli)} -f ${context.dockerfile} ${context.contextDir}`,
      },
    );
  }
}

function commandFor(cli: BuildCli): string {
  return cli.kind === 'buildx'
    ? `${cli.path} buildx build --load`
    : `DOCKER_BUILDKIT=1 ${cli.path} build`;
}

/** `/usr/bin/docker (Docker CLI 20.10.24, the daemon's BuildKit)`. */
export function describeCli(cli: BuildCli): string {
  const how = cli.kind === 'buildx' ? 'BuildKit through buildx' : "the daemon's BuildKit";
  return `${cli.path} (Docker CLI ${cli.version}, ${how})`;
}

/**
 * Names the CLI itself reads (PATH, DOCKER_HOST, …) must not be overwritten by a build
 * argument of the same name: those are passed on the command line instead.
 */
function passesThroughEnvironment(name: string): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return false;
  if (/^(DOCKER|BUILDKIT|BUILDX)_/.test(name)) return false;
  return !['PATH', 'HOME', 'TMPDIR', 'USER', 'SHELL'].includes(name);
}
