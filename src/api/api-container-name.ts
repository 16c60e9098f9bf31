import { randomBytes } from 'node:crypto';
import { RUN_ID } from '../run-id.js';

/** What Docker accepts as a container name (its own check, `[a-zA-Z0-9][a-zA-Z0-9_.-]+`). */
export const DOCKER_CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/**
 * The name of the API container of one path: `venomqa-api-<run>-<path label>-<random>`. The
 * label is a journey's and path's names, which may hold anything but control characters
 * (quotes, spaces, unicode, `/`), so it is reduced to the characters Docker accepts and cut to
 * 40; the random tail keeps two paths whose labels reduce alike apart. The name is for people
 * reading `docker ps`: venomqa finds its containers by label, never by name.
 */
export function apiContainerName(label: string, runId: string = RUN_ID): string {
  const slug = (text: string, max: number): string =>
    text
      .replace(/[^A-Za-z0-9_.-]+/g, '-')
      .replace(/^[-_.]+|[-_.]+$/g, '')
      .slice(0, max);
  const parts = ['venomqa-api', slug(runId, 24), slug(label, 40), randomBytes(3).toString('hex')];
  return parts.filter((part) => part !== '').join('-');
}
