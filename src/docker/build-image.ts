import { readdir } from 'node:fs/promises';
import type Docker from 'dockerode';
import createDebug from 'debug';
import { DockerOperationError } from './docker-unavailable-error.js';
import { messageOf } from '../errors/venomqa-error.js';

const debug = createDebug('venomqa:docker:build');

export interface BuildImageOptions {
  /** Folder holding the Dockerfile; sent whole as the build context. */
  contextDir: string;
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
  const src = await readdir(options.contextDir);
  const tail: string[] = [];
  const record = (line: string): void => {
    tail.push(line);
    if (tail.length > 30) tail.shift();
    options.onOutput?.(line);
    debug(line);
  };
  try {
    const stream = await docker.buildImage(
      { context: options.contextDir, src },
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
