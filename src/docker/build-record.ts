import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import createDebug from 'debug';
import type { EnvRecord } from '../config/interpolate.js';
import type { BuildInputs } from './build-inputs.js';
import { shortHash } from './labels.js';

const debug = createDebug('venomqa:docker:build');

/**
 * The inputs of the last image venomqa built for one image name and context, kept
 * in the user's cache folder (`$XDG_CACHE_HOME/venomqa/builds`, else `~/.cache/venomqa/builds`)
 * only so the next rebuild can say which file changed. Whether to build never depends on it:
 * that is decided by the image tag, so a missing or unreadable record costs only the detail.
 */
export class BuildRecord {
  readonly file: string;

  /** One record per image name and context: a switch of Dockerfile shows as a change. */
  constructor(image: string, contextDir: string, env: EnvRecord = process.env) {
    const cacheHome = env.XDG_CACHE_HOME || path.join(env.HOME || homedir(), '.cache');
    const slug = image.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 60);
    const key = shortHash(`${image}\0${contextDir}`);
    this.file = path.join(cacheHome, 'venomqa', 'builds', `${slug}-${key}.json`);
  }

  async load(): Promise<BuildInputs | undefined> {
    try {
      const value = JSON.parse(await readFile(this.file, 'utf8')) as Partial<BuildInputs>;
      return typeof value.hash === 'string' && typeof value.entries === 'object'
        ? (value as BuildInputs)
        : undefined;
    } catch (error) {
      debug('no build record at %s: %s', this.file, (error as Error).message);
      return undefined;
    }
  }

  /** Written to a temporary file and renamed, so a concurrent reader never sees half. */
  async save(inputs: BuildInputs): Promise<void> {
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(inputs));
      await rename(temporary, this.file);
    } catch (error) {
      debug('cannot write the build record %s: %s', this.file, (error as Error).message);
    }
  }
}
