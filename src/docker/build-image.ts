import { copyFile, cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import createDebug from 'debug';
import { DockerOperationError } from './docker-errors.js';
import { messageOf } from '../errors/venomqa-error.js';

const debug = createDebug('venomqa:docker:build');

export interface BuildImageOptions {
  /** The build context, sent whole; holds the Dockerfile unless `dockerfile` says otherwise. */
  contextDir: string;
  /**
   * A Dockerfile outside the context (`images/shop/Dockerfile` for the context
   * `examples/shop`): the context is copied to a temporary folder with it, since the Docker
   * API only reads a Dockerfile from inside the context it receives.
   */
  dockerfile?: string;
  tag: string;
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  /** `host` lets `apt-get` inside the build reach package mirrors on machines without a bridge. */
  networkMode?: string;
  signal?: AbortSignal;
  /** Called with each line of build output. */
  onOutput?: (line: string) => void;
}

export async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * Build an image from a folder, streaming output to `onOutput`. Build errors (which the daemon
 * reports inside the stream, not as an HTTP status) become a {@link DockerOperationError} that
 * carries the last lines of output.
 */
export async function buildImage(docker: Docker, options: BuildImageOptions): Promise<void> {
  const inside = path.join(options.contextDir, 'Dockerfile');
  if (options.dockerfile === undefined || path.resolve(options.dockerfile) === inside) {
    return buildFromContext(docker, options.contextDir, options);
  }
  const staged = await mkdtemp(path.join(tmpdir(), 'venomqa-build-'));
  try {
    await cp(options.contextDir, staged, { recursive: true });
    await copyFile(options.dockerfile, path.join(staged, 'Dockerfile'));
    await buildFromContext(docker, staged, options);
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
}

async function buildFromContext(
  docker: Docker,
  contextDir: string,
  options: BuildImageOptions,
): Promise<void> {
  const src = await readdir(contextDir);
  const tail: string[] = [];
  const record = (line: string): void => {
    tail.push(line);
    if (tail.length > 30) tail.shift();
    options.onOutput?.(line);
    debug(line);
  };
  try {
    const stream = await docker.buildImage(
      { context: contextDir, src },
      {
        t: options.tag,
        buildargs: options.buildArgs ?? {},
        labels: options.labels ?? {},
        rm: true,
        forcerm: true,
        ...(options.networkMode ? { networkmode: options.networkMode } : {}),
        ...(options.signal ? { abortSignal: options.signal } : {}),
      },
    );
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null, events: BuildEvent[]) => {
          if (error) return reject(error);
          const failed = events.find((e) => e.error || e.errorDetail);
          if (failed) return reject(new Error(failed.errorDetail?.message ?? failed.error));
          resolve();
        },
        (event: BuildEvent) => {
          for (const line of (event.stream ?? '').split('\n')) if (line.trim()) record(line);
        },
      );
    });
  } catch (error) {
    throw new DockerOperationError(
      `Building image ${options.tag} from ${options.contextDir} failed: ${messageOf(error)}` +
        (tail.length ? `\nLast build output:\n${tail.join('\n')}` : ''),
      { cause: error },
    );
  }
}
