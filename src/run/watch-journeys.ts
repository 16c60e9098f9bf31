import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config/schema.js';
import type { RunResult } from '../result/run-result.js';
import type { RunnerEvent } from '../runner/journey-runner.js';
import { FileWatcher } from './file-watcher.js';
import { loadJourneys, type LoadedJourney } from './load-journeys.js';
import { RunSession } from './run-session.js';
import { classifyChanges, rerunsAll, type WatchAction } from './watch-changes.js';

export interface WatchJourneysOptions {
  config: ResolvedConfig;
  /** Journey files and folders, as `venomqa run` takes them (relative to `cwd`). */
  entries: readonly string[];
  cwd: string;
  /** `--no-cache` for the first setup. */
  rebuildSetup?: boolean;
  /** Ends the watch (Ctrl-C): everything is released, then the promise resolves. */
  signal: AbortSignal;
  onEvent?: (event: RunnerEvent) => void;
  onProgress?: (line: string) => void;
  /** After each run, with the files whose change started it (none for the first). */
  onRun: (result: RunResult, changed: readonly string[]) => Promise<void> | void;
  /** A run that could not happen (a journey that does not load, a failing setup). */
  onError: (error: unknown) => void;
  /** Quiet time after the last change before a rerun starts. */
  debounceMs?: number;
}

/**
 * `venomqa run --watch`: run the journeys, then rerun them as files change, as `vitest` does.
 * The server, the `setup:` template and the slots' APIs stay up between runs, so a rerun
 * starts at once. A changed journey module reruns its own journeys; a changed helper in a
 * journeys folder reruns them all; a changed `setup.inputs` file makes the template again and
 * restarts the APIs; any other change in the project (the API's code) restarts the APIs and
 * reruns everything. Changes that arrive during a run start another run right after it.
 */
export async function watchJourneys(options: WatchJourneysOptions): Promise<void> {
  const { config, signal } = options;
  const progress = options.onProgress ?? (() => undefined);
  const projectDir = config.config_file ? path.dirname(config.config_file) : options.cwd;
  const entries = options.entries.map((entry) => path.resolve(options.cwd, entry));
  let journeys = await loadJourneys(entries, options.cwd);
  const session = await RunSession.open({
    config,
    journeys,
    cwd: options.cwd,
    rebuildSetup: options.rebuildSetup ?? false,
    signal,
    onProgress: progress,
  });
  const changes: string[] = [];
  let wake: (() => void) | undefined;
  const watcher = new FileWatcher({
    roots: [projectDir, ...entries.filter((e) => !e.startsWith(projectDir + path.sep))],
    ignore: (file) => file === config.report_dir || file.startsWith(config.report_dir + path.sep),
    onChange: (files) => {
      changes.push(...files);
      wake?.();
    },
    ...(options.debounceMs === undefined ? {} : { debounceMs: options.debounceMs }),
  });
  const stopped = new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  try {
    await runOnce(journeys, []).catch(stoppedOr);
    while (!signal.aborted) {
      if (changes.length === 0) {
        progress('Watching for changes (Ctrl-C to stop)');
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), stopped]);
        wake = undefined;
        continue;
      }
      const changed = changes.splice(0);
      const action = classifyChanges(
        changed,
        {
          projectDir,
          journeyEntries: entries,
          journeyFiles: new Set(journeys.flatMap((j) => (j.file ? [j.file] : []))),
          setupInputs: config.setup.inputs,
        },
        existsSync,
      );
      try {
        const selected = await prepare(action);
        if (selected.length > 0) await runOnce(selected, changed);
      } catch (error) {
        if (signal.aborted) break;
        options.onError(error);
      }
    }
  } finally {
    watcher.close();
    await session.close();
  }

  /** Ctrl-C during a run ends the watch quietly; anything else is the caller's to report. */
  function stoppedOr(error: unknown): void {
    if (!signal.aborted) throw error;
  }

  async function runOnce(selected: readonly LoadedJourney[], changed: string[]): Promise<void> {
    const result = await session.run(selected, {
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
    await options.onRun(result, changed);
  }

  /** Reload, remake and restart what the change needs; the journeys to run. */
  async function prepare(action: WatchAction): Promise<LoadedJourney[]> {
    const all = rerunsAll(action);
    const what = [
      action.setup ? 'setup inputs changed' : '',
      action.api ? "the API's code changed" : '',
      action.reloadAll ? 'journey helpers changed' : '',
    ].filter(Boolean);
    if (all) {
      progress(`${what.join('; ')}: rerunning every journey`);
      journeys = await loadJourneys(entries, options.cwd, { fresh: true });
      if (action.setup) await session.refreshSetup();
      if (action.setup || action.api) await session.restartApis();
      return journeys;
    }
    const files = new Set(action.journeyFiles);
    const reloaded = await loadJourneys([...files], options.cwd, { fresh: true });
    journeys = [...journeys.filter((j) => !j.file || !files.has(j.file)), ...reloaded];
    progress(
      `${[...files].map((f) => path.relative(options.cwd, f)).join(', ')} changed: rerunning ${reloaded.length} journey${reloaded.length === 1 ? '' : 's'}`,
    );
    return reloaded;
  }
}
