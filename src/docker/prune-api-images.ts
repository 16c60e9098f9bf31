import type Docker from 'dockerode';
import createDebug from 'debug';
import { messageOf } from '../errors/venomqa-error.js';
import { splitTag } from './image-reference.js';
import { INPUTS_TAG_PREFIX, LABEL } from './labels.js';

const debug = createDebug('venomqa:docker');

/** API images kept per image name by default: the current one and two to go back to. */
export const DEFAULT_API_IMAGES_KEPT = 3;

export interface PruneApiImagesOptions {
  /** Newest images kept per image name (`api.image`); at least 1. */
  keep?: number;
  /** Only the images built for this image name (`shop-api`, its tag ignored). */
  name?: string;
  dryRun?: boolean;
}

export interface PrunedApiImages {
  /** The `venomqa-<hash>` tags removed (or, with `dryRun`, that would be). */
  removed: string[];
  /** Tags that could not be removed, with why (an image a container still uses). */
  skipped: { tag: string; reason: string }[];
}

/**
 * Removes old API images venomqa built (`ensureImageBuilt`): per image name, the newest
 * `keep` by build time stay and the others lose their `venomqa-<hash>` tag, which deletes
 * them unless something else still names them (a tag the user added keeps an image). Only
 * images labelled by venomqa are looked at; images a container still uses are skipped, as
 * Docker refuses to remove them without force and venomqa never forces.
 *
 * @example
 * ```ts
 * const { removed } = await pruneApiImages(docker, { keep: 3 });
 * ```
 */
export async function pruneApiImages(
  docker: Docker,
  options: PruneApiImagesOptions = {},
): Promise<PrunedApiImages> {
  const keep = Math.max(1, options.keep ?? DEFAULT_API_IMAGES_KEPT);
  const only = options.name === undefined ? undefined : splitTag(options.name).repo;
  const label = only === undefined ? LABEL.apiImage : `${LABEL.apiImage}=${only}`;
  const images = await docker.listImages({ filters: { label: [label] } });
  const byName = new Map<string, Docker.ImageInfo[]>();
  for (const image of images) {
    const name = image.Labels?.[LABEL.apiImage];
    if (!name) continue;
    byName.set(name, [...(byName.get(name) ?? []), image]);
  }
  const result: PrunedApiImages = { removed: [], skipped: [] };
  for (const [name, group] of byName) {
    group.sort((a, b) => builtAt(b) - builtAt(a));
    for (const image of group.slice(keep)) {
      const tags = (image.RepoTags ?? []).filter((t) =>
        t.startsWith(`${name}:${INPUTS_TAG_PREFIX}`),
      );
      for (const tag of tags) {
        if (options.dryRun) {
          result.removed.push(tag);
          continue;
        }
        try {
          await docker.getImage(tag).remove();
          result.removed.push(tag);
        } catch (error) {
          const reason =
            (error as { statusCode?: number }).statusCode === 409
              ? 'in use by a container'
              : messageOf(error);
          debug('keeping %s: %s', tag, reason);
          result.skipped.push({ tag, reason });
        }
      }
    }
  }
  return result;
}

/** When venomqa built the image, in ms; Docker's creation time for images without the label. */
function builtAt(image: Docker.ImageInfo): number {
  const labelled = Date.parse(image.Labels?.[LABEL.builtAt] ?? '');
  return Number.isNaN(labelled) ? image.Created * 1000 : labelled;
}
