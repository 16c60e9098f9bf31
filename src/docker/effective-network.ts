import type Docker from 'dockerode';
import type { NetworkMode } from './started-container.js';

/**
 * The network mode a container can really use. A daemon started with `--bridge=none` has no
 * `bridge` network, so a published port would never appear: use host networking there (the
 * process then listens on a free loopback port) and say so, instead of failing.
 *
 * @param what names the containers in the progress line (`API containers`).
 */
export async function effectiveNetwork(
  docker: Docker,
  wanted: NetworkMode,
  what: string,
  onProgress?: (line: string) => void,
): Promise<NetworkMode> {
  if (wanted === 'host') return 'host';
  const networks = await docker.listNetworks();
  if (networks.some((n) => n.Name === 'bridge')) return 'bridge';
  onProgress?.(
    `The Docker daemon has no bridge network; ${what} use host networking on loopback ports.`,
  );
  return 'host';
}
