import { watch, type FSWatcher } from 'node:fs';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import createDebug from 'debug';

const debug = createDebug('venomqa:watch');

/** Never watched: dependencies, VCS data, venomqa's own state and reports. */
export const WATCH_IGNORED = new Set(['node_modules', '.git', '.venomqa', 'coverage']);

export interface FileWatcherOptions {
  /** Folders to watch (absolute); each top-level subfolder is watched recursively. */
  roots: readonly string[];
  /** Also left out (absolute): the report directory. */
  ignore: (file: string) => boolean;
  /** Changed files (absolute), once no change came for `debounceMs`. */
  onChange: (files: string[]) => void;
  debounceMs?: number;
}

/**
 * Watches a project for changed files with `fs.watch`, collecting a burst of events (an
 * editor's save is several) into one batch. A root is watched on its own for its files and
 * each subfolder recursively, so `node_modules` and `.git` (thousands of folders, each an
 * inotify watch on Linux) are never walked; folders made later are picked up.
 */
export class FileWatcher {
  readonly #options: FileWatcherOptions;
  readonly #watchers = new Map<string, FSWatcher>();
  readonly #pending = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: FileWatcherOptions) {
    this.#options = options;
    for (const root of options.roots) this.#watchRoot(root);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }

  #watchRoot(root: string): void {
    this.#add(root, false, (name) => {
      const full = path.join(root, name);
      // A folder made after the watch began gets its own watcher.
      if (!this.#watchers.has(full) && this.#isFolder(full)) this.#add(full, true);
    });
    let entries: string[] = [];
    try {
      entries = readdirSync(root, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name);
    } catch (error) {
      debug('cannot list %s: %o', root, error);
    }
    for (const name of entries) this.#add(path.join(root, name), true);
  }

  #add(dir: string, recursive: boolean, onName?: (name: string) => void): void {
    if (this.#closed || this.#skipped(dir) || this.#watchers.has(dir)) return;
    try {
      const watcher = watch(dir, { recursive }, (_event, name) => {
        if (name === null) return;
        onName?.(name.toString());
        this.#changed(path.join(dir, name.toString()));
      });
      watcher.on('error', (error) => {
        debug('watching %s: %o', dir, error);
        watcher.close();
        this.#watchers.delete(dir);
      });
      this.#watchers.set(dir, watcher);
    } catch (error) {
      debug('cannot watch %s: %o', dir, error);
    }
  }

  #changed(file: string): void {
    if (this.#closed || this.#skipped(file)) return;
    this.#pending.add(file);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      const files = [...this.#pending];
      this.#pending.clear();
      if (!this.#closed) this.#options.onChange(files);
    }, this.#options.debounceMs ?? 150);
  }

  #skipped(file: string): boolean {
    return (
      file.split(path.sep).some((part) => WATCH_IGNORED.has(part)) || this.#options.ignore(file)
    );
  }

  #isFolder(file: string): boolean {
    try {
      readdirSync(file);
      return true;
    } catch {
      return false;
    }
  }
}
