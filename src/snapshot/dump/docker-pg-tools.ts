import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import createDebug from 'debug';
import { DockerOperationError } from '../../docker/docker-errors.js';
import { venomqaLabels } from '../../docker/labels.js';
import { stopAndRemove } from '../../docker/started-container.js';
import {
  secretEnvironmentFor,
  type SecretEnvironmentPlan,
} from '../../docker/secret-environment.js';
import { messageOf } from '../../errors/venomqa-error.js';
import { RUN_ID } from '../../run-id.js';
import { DockerStreamDemux } from './docker-stream-demux.js';
import { pgToolFailure } from './pg-dump-errors.js';
import { PG_DUMP_ARGS, PG_RESTORE_ARGS, type PgTools } from './pg-tools.js';
import { stderrTail, type ToolConnection } from './tool-connection.js';

const debug = createDebug('venomqa:snapshot:dump');

/** Enough stderr to explain a failure; a chatty --verbose run must not fill memory. */
const STDERR_LIMIT_BYTES = 64 * 1024;

export interface ToolContainerRun {
  /** The tool's exit status; undefined when it was killed by an abort. */
  status: number | undefined;
  /** Collected stdout, when it did not go to a file. */
  stdout: string;
  stderr: string;
}

export interface ToolContainerOptions {
  env?: Readonly<Record<string, string>>;
  /** Streamed to the tool's stdin (then closed). */
  stdinFile?: string;
  /** The tool's stdout is written here instead of being collected. */
  stdoutFile?: string;
  signal?: AbortSignal;
}

/**
 * Run one command (`['pg_dump', …]`) in a throwaway container of `image`, with stdin and stdout
 * streamed through the Docker API: no bind mount, so it works with a remote daemon and leaves
 * no root-owned file behind. Host networking, because the server usually listens on the host's
 * loopback (and daemons started with --bridge=none have no other network). Passwords reach the
 * tool in the container's environment, never its command line. The container is labelled
 * (role `tools`, this run's id) and removed whatever happens.
 */
export async function runToolContainer(
  docker: Docker,
  image: string,
  command: readonly [string, ...string[]],
  options: ToolContainerOptions = {},
): Promise<ToolContainerRun> {
  const withStdin = options.stdinFile !== undefined;
  // PGPASSWORD reaches the tool through a file the wrapper loads, not `docker inspect`.
  const { PGPASSWORD: password, ...env } = options.env ?? {};
  const secrets =
    password === undefined
      ? undefined
      : secretEnvironmentFor(env, { PGPASSWORD: password }, command);
  let container: Docker.Container;
  const create = (plan: SecretEnvironmentPlan | undefined): Promise<Docker.Container> =>
    docker.createContainer({
      Image: image,
      // Bypass the image's entrypoint (which would start a server for some arguments).
      Entrypoint: [command[0]],
      Cmd: command.slice(1),
      Env: Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`),
      ...plan?.create,
      Labels: venomqaLabels({ role: 'tools', runId: RUN_ID }),
      Tty: false,
      AttachStdout: true,
      AttachStderr: true,
      AttachStdin: withStdin,
      OpenStdin: withStdin,
      // The tool sees end of input when our side of the attach stream closes.
      StdinOnce: withStdin,
      HostConfig: {
        NetworkMode: 'host',
        // The dump reaches us through the attach stream; a log driver would store a second copy.
        LogConfig: { Type: 'none', Config: {} },
      },
    });
  try {
    container = await create(secrets);
    if (secrets) {
      const created = container;
      const installed = await secrets.install(created).catch(async (error: unknown) => {
        await created.remove({ force: true }).catch(() => undefined);
        throw error;
      });
      if (installed === 'no-shell') {
        await created.remove({ force: true });
        container = await create(undefined);
      }
    }
  } catch (error) {
    throw new DockerOperationError(
      `Creating a ${command[0]} container from ${image} failed: ${messageOf(error)}`,
      { cause: error },
    );
  }
  const stderr: Buffer[] = [];
  let stderrBytes = 0;
  const keepStderr = (chunk: Buffer): void => {
    stderr.push(chunk);
    stderrBytes += chunk.length;
    while (stderrBytes > STDERR_LIMIT_BYTES && stderr.length > 1) {
      stderrBytes -= stderr.shift()?.length ?? 0;
    }
  };
  const stdout: Buffer[] = [];
  let input: ReadStream | undefined;
  const onAbort = (): void => {
    void container.kill().catch(() => undefined);
  };
  try {
    // Attach before start, so not a byte of output is missed. Stdin needs the raw (hijacked)
    // connection: through HTTP chunked encoding the chunk framing would reach the tool.
    const stream = (await container.attach({
      stream: true,
      stdout: true,
      stderr: true,
      stdin: withStdin,
      hijack: withStdin,
    })) as NodeJS.ReadWriteStream & { destroy(error?: Error): void };
    const sink = options.stdoutFile
      ? createWriteStream(options.stdoutFile)
      : new Writable({
          write(chunk: Buffer, _encoding, done) {
            stdout.push(chunk);
            done();
          },
        });
    const output = pipeline(stream, new DockerStreamDemux(keepStderr), sink).catch(
      (error: unknown) => {
        // Nobody reads the tool's output any more (a full disk, say): stop it now rather than
        // wait for a dump that can go nowhere.
        void container.kill().catch(() => undefined);
        throw error;
      },
    );
    // A failed start must not leave the pipeline's promise rejected with nobody listening.
    output.catch(() => undefined);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    options.signal?.throwIfAborted();
    await container.start();
    if (options.stdinFile !== undefined) {
      input = createReadStream(options.stdinFile);
      input.on('error', (error) => stream.destroy(error));
      // pipe() ends the attach stream at end of file: a half-close, the tool's end of input.
      input.pipe(stream);
    }
    const [exit, streamed] = await Promise.allSettled([
      container.wait() as Promise<{ StatusCode: number }>,
      output,
    ]);
    if (exit.status === 'rejected') throw exit.reason;
    const result = {
      status: options.signal?.aborted ? undefined : exit.value.StatusCode,
      stdout: Buffer.concat(stdout).toString('utf8'),
      stderr: Buffer.concat(stderr).toString('utf8'),
    };
    // A tool that failed early closes its stdin while we still write: the broken stream is a
    // consequence; its exit status and stderr are the story.
    if (streamed.status === 'rejected' && result.status === 0) throw streamed.reason;
    return result;
  } catch (error) {
    if (options.signal?.aborted) {
      return { status: undefined, stdout: '', stderr: Buffer.concat(stderr).toString('utf8') };
    }
    throw new DockerOperationError(
      `Running ${command[0]} in a container from ${image} failed: ${messageOf(error)}`,
      { cause: error },
    );
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    input?.destroy();
    await stopAndRemove(docker, container.id, 0).catch((error: unknown) =>
      debug('removing tools container %s failed: %s', container.id, messageOf(error)),
    );
  }
}

/** pg_dump and pg_restore from a PostgreSQL image, each run in its own throwaway container. */
export class DockerPgTools implements PgTools {
  readonly where: string;
  readonly version: string;
  readonly major: number;
  readonly #docker: Docker;
  readonly #image: string;

  constructor(docker: Docker, image: string, version: { version: string; major: number }) {
    this.#docker = docker;
    this.#image = image;
    this.where = `docker image ${image}`;
    this.version = version.version;
    this.major = version.major;
  }

  async dump(connection: ToolConnection, file: string, signal?: AbortSignal): Promise<void> {
    const run = await runToolContainer(
      this.#docker,
      this.#image,
      ['pg_dump', ...PG_DUMP_ARGS, `--dbname=${connection.dbname}`],
      { env: connection.env, stdoutFile: file, ...(signal ? { signal } : {}) },
    );
    this.#check('pg_dump', run, `database '${connection.database}'`, connection);
  }

  async restore(connection: ToolConnection, file: string, signal?: AbortSignal): Promise<void> {
    const run = await runToolContainer(
      this.#docker,
      this.#image,
      ['pg_restore', ...PG_RESTORE_ARGS, `--dbname=${connection.dbname}`],
      { env: connection.env, stdinFile: file, ...(signal ? { signal } : {}) },
    );
    this.#check('pg_restore', run, `${file} (into database '${connection.database}')`, connection);
  }

  #check(
    tool: 'pg_dump' | 'pg_restore',
    run: ToolContainerRun,
    subject: string,
    connection: ToolConnection,
  ): void {
    if (run.status === 0) return;
    throw pgToolFailure(tool, this, subject, run.status, stderrTail(run.stderr, connection));
  }
}
