import path from 'node:path';
import { globToRegExp } from './setup-inputs.js';

/** What a batch of changed files asks of watch mode. */
export interface WatchAction {
  /** Journey modules to load again and rerun (changed or new). */
  journeyFiles: string[];
  /** A helper in a journeys folder changed, or a journey module went away: reload them all. */
  reloadAll: boolean;
  /** A `setup.inputs` file changed: the template is made again, APIs restarted, all rerun. */
  setup: boolean;
  /** Anything else in the project (the API's code): APIs restarted, all rerun. */
  api: boolean;
}

export interface WatchScope {
  /** The config file's folder: `setup.inputs` and the API's code are relative to it. */
  projectDir: string;
  /** Journey files and folders as given to `venomqa run` (absolute). */
  journeyEntries: readonly string[];
  /** Journey modules loaded now (absolute). */
  journeyFiles: ReadonlySet<string>;
  /** `setup.inputs` as written (files, folders, globs relative to `projectDir`). */
  setupInputs: readonly string[];
}

const JOURNEY_MODULE = /\.(?:ts|mts|js|mjs)$/;

/**
 * Sort changed files (absolute paths) into what watch mode does about them, as vitest does for
 * tests: a changed journey module reruns its journeys; a new one in a journeys folder runs too;
 * a helper there (`_blog.ts`) or a deleted module reloads and reruns every journey; a
 * `setup.inputs` file (migrations) remakes the template; anything else is the API's code, so
 * the slots' APIs restart and every journey reruns.
 */
export function classifyChanges(
  changed: readonly string[],
  scope: WatchScope,
  exists: (file: string) => boolean,
): WatchAction {
  const action: WatchAction = { journeyFiles: [], reloadAll: false, setup: false, api: false };
  const inputs = scope.setupInputs.map((input) => inputMatcher(scope.projectDir, input));
  for (const file of new Set(changed)) {
    if (scope.journeyFiles.has(file)) {
      if (exists(file)) action.journeyFiles.push(file);
      else action.reloadAll = true;
      continue;
    }
    const entry = scope.journeyEntries.find((e) => file === e || isInside(file, e));
    if (entry !== undefined) {
      const name = path.basename(file);
      const isModule =
        JOURNEY_MODULE.test(name) && !/\.d\.m?ts$/.test(name) && !name.startsWith('_');
      if (isModule && exists(file)) action.journeyFiles.push(file);
      else action.reloadAll = true;
      continue;
    }
    if (inputs.some((matches) => matches(file))) action.setup = true;
    else action.api = true;
  }
  return action;
}

/** Whether a change means every journey runs again. */
export function rerunsAll(action: WatchAction): boolean {
  return action.reloadAll || action.setup || action.api;
}

function inputMatcher(projectDir: string, input: string): (file: string) => boolean {
  if (/[*?[]/.test(input)) {
    const pattern = globToRegExp(input.replace(/^\.\//, ''));
    return (file) => pattern.test(path.relative(projectDir, file).split(path.sep).join('/'));
  }
  const target = path.resolve(projectDir, input);
  return (file) => file === target || isInside(file, target);
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
