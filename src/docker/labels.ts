import { createHash } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Namespaced labels on every container venomqa starts (and image it builds), so cleanup and
 * reuse filter by label instead of by name pattern.
 */
export const LABEL = {
  managed: 'dev.venomqa.managed',
  runId: 'dev.venomqa.run-id',
  role: 'dev.venomqa.role',
  configHash: 'dev.venomqa.config-hash',
  project: 'dev.venomqa.project',
  /** On the managed database: the folder of the project that started it (others may reuse it). */
  projectDir: 'dev.venomqa.project-dir',
  /** On the managed database: its settings as JSON (no password), to say what changed. */
  settings: 'dev.venomqa.settings',
  ownerPid: 'dev.venomqa.owner-pid',
  /** The machine of `ownerPid`: a pid means nothing on another host sharing the daemon. */
  ownerHost: 'dev.venomqa.owner-host',
  /** On API images venomqa built: the image name they were built for (`shop-api`), to prune by. */
  apiImage: 'dev.venomqa.api-image',
  /** On API images venomqa built: the hash of their build inputs (also in their tag). */
  inputsHash: 'dev.venomqa.inputs-hash',
  /**
   * On API images venomqa built: when (ISO 8601). An image's own creation time is no guide:
   * BuildKit dates an image by its last layer, which a cache hit takes from an older build.
   */
  builtAt: 'dev.venomqa.built-at',
} as const;

/** The tag prefix of API images keyed by their build inputs: `shop-api:venomqa-<hash>`. */
export const INPUTS_TAG_PREFIX = 'venomqa-';

export type ContainerRole = 'postgres' | 'managed-db' | 'api' | 'tools';

/** A short stable hash, for labels and names derived from paths or settings. */
export function shortHash(value: string, length = 12): string {
  return createHash('sha256').update(value).digest('hex').slice(0, length);
}

export interface LabelInput {
  role: ContainerRole;
  runId: string;
  configHash?: string;
  project?: string;
}

export function venomqaLabels(input: LabelInput): Record<string, string> {
  return {
    [LABEL.managed]: 'true',
    [LABEL.role]: input.role,
    [LABEL.runId]: input.runId,
    [LABEL.ownerPid]: String(process.pid),
    [LABEL.ownerHost]: hostname(),
    ...(input.configHash ? { [LABEL.configHash]: input.configHash } : {}),
    ...(input.project ? { [LABEL.project]: input.project } : {}),
  };
}
