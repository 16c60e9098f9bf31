import type Docker from 'dockerode';
import createDebug from 'debug';
import { redactText } from '../redaction/index.js';
import { messageOf } from '../errors/venomqa-error.js';
import { ImageBuildAbortedError, ImageBuildError } from './build-errors.js';
import { scanBuildContext } from './build-context.js';
import { packBuildContext } from './build-context-tar.js';
import { BuildOutput } from './build-output.js';
import type { ImageBuildRequest } from './image-build-request.js';
import { splitTag } from './image-reference.js';

const debug = createDebug('venomqa:docker:build');

export interface BuildImageOptions {
  /** The build context; `.dockerignore` applies, symlinks are sent as links. */
  contextDir: string;
  /** A Dockerfile other than `<contextDir>/Dockerfile`, inside the context or not. */
  dockerfile?: string;
  tag: string;
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  /** `host` lets `apt-get` inside the build reach package mirrors on machines without a bridge. */
  networkMode?: string;
  signal?: AbortSignal;
  /** Called with each build step. */
  onOutput?: (line: string) => void;
}

export async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  return (await imageId(docker, tag)) !== undefined;
}

/** The id of the image `tag` names, or undefined when the daemon has no such image. */
export async function imageId(docker: Docker, tag: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(tag).inspect()).Id;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

/**
 * Builds venomqa's own images (PostgreSQL, the example shop API) with the Docker API's classic
 * builder: their Dockerfiles need nothing else. API images of users go through
 * `ensureImageBuilt`, which prefers the docker CLI with BuildKit.
 */
export async function buildImage(docker: Docker, options: BuildImageOptions): Promise<void> {
  const context = await scanBuildContext(options.contextDir, {
    ...(options.dockerfile ? { dockerfile: options.dockerfile } : {}),
  });
  await buildWithApi(docker, {
    context,
    tags: [options.tag],
    ...(options.buildArgs ? { buildArgs: options.buildArgs } : {}),
    ...(options.labels ? { labels: options.labels } : {}),
    ...(options.networkMode === 'host' ? { networkMode: 'host' } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onOutput ? { onStep: options.onOutput } : {}),
  });
}

interface BuildEvent {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * A build on the Docker API's classic builder (dockerode), from the context tar venomqa packs
 * itself ({@link packBuildContext}). Build errors, which the daemon reports inside the stream
 * rather than as an HTTP status, become an {@link ImageBuildError} with the last output lines;
 * an aborted `signal` ends the request, which stops the build on the daemon.
 */
export async function buildWithApi(docker: Docker, request: ImageBuildRequest): Promise<void> {
  const { context, signal } = request;
  const [tag, ...moreTags] = request.tags;
  if (tag === undefined) throw new TypeError('buildWithApi needs at least one tag');
  const output = new BuildOutput(request.onStep, (line) => debug(line));
  const tar = packBuildContext(context);
  try {
    const stream = await docker.buildImage(tar.stream, {
      t: tag,
      dockerfile: tar.dockerfile,
      buildargs: { ...request.buildArgs },
      labels: { ...request.labels },
      ...(request.target ? { target: request.target } : {}),
      rm: true,
      forcerm: true,
      ...(request.networkMode ? { networkmode: request.networkMode } : {}),
      ...(signal ? { abortSignal: signal } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null, events: BuildEvent[]) => {
          if (error) return reject(error);
          const failed = events.find((e) => e.error || e.errorDetail);
          if (failed) return reject(new Error(failed.errorDetail?.message ?? failed.error));
          resolve();
        },
        (event: BuildEvent) => output.push(event.stream ?? ''),
      );
    });
    for (const name of moreTags) {
      const { repo, tag: version } = splitTag(name);
      await docker.getImage(tag).tag({ repo, tag: version });
    }
  } catch (error) {
    tar.stream.destroy();
    if (signal?.aborted) throw new ImageBuildAbortedError(tag, signal.reason);
    throw new ImageBuildError(
      `Building the image ${tag} from ${context.contextDir} (Dockerfile ${context.dockerfile}) with the Docker API's classic builder failed: ${redactText(messageOf(error))}`,
      output.tail().map((line) => redactText(line)),
      { cause: error },
    );
  }
}
