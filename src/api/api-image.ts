import type Docker from 'dockerode';
import { imageExists } from '../docker/build-image.js';
import { effectiveNetwork } from '../docker/effective-network.js';
import { ensureImageBuilt } from '../docker/ensure-image-built.js';
import { findDockerDaemon } from '../docker/find-docker-daemon.js';
import type { NetworkMode } from '../docker/started-container.js';
import type { DockerTargetOptions } from './docker-target.js';
import { TargetImageMissingError } from './target-errors.js';

/** What every acquire of a docker target needs: the daemon, the network, the image to run. */
export interface PreparedApiImage {
  docker: Docker;
  network: NetworkMode;
  /**
   * The image containers start from: with a build, its content-keyed tag
   * (`shop-api:venomqa-<hash>`), so a container never starts from an image a concurrent build
   * has just retagged; else `image` as configured.
   */
  image: string;
}

/**
 * Finds the daemon and the network API containers can use, and makes sure the API image is
 * there: built from `build` whenever its inputs changed (`ensureImageBuilt`), or, without a
 * build, present as configured ({@link TargetImageMissingError} if not).
 */
export async function prepareApiImage(
  options: Readonly<DockerTargetOptions>,
): Promise<PreparedApiImage> {
  const { image, build, onProgress } = options;
  let docker = options.docker;
  let endpoint = options.endpoint;
  if (docker === undefined) {
    const daemon = await findDockerDaemon();
    docker = daemon.docker;
    endpoint = daemon.endpoint;
  }
  const network = await effectiveNetwork(docker, options.network, 'API containers', onProgress);
  if (!build) {
    if (await imageExists(docker, image)) return { docker, network, image };
    throw new TargetImageMissingError(image);
  }
  const built = await ensureImageBuilt(docker, {
    image,
    contextDir: build,
    dockerfile: options.dockerfile ?? null,
    buildArgs: options.buildArgs ?? {},
    target: options.buildTarget ?? null,
    // Without a bridge (like our CI) a build reaches package mirrors only this way.
    ...(network === 'host' ? { networkMode: 'host' as const } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(options.buildEnvironment ? { env: options.buildEnvironment } : {}),
  });
  return { docker, network, image: built.reference };
}
