import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from './build-context.js';

/** Bumped when what goes into the hash changes, so old keys never match new ones. */
const INPUTS_VERSION = 'venomqa-build-inputs-1';

/** Everything a build depends on that venomqa can see without building. */
export interface BuildInputs {
  /** sha256 over all of the below, hex. */
  readonly hash: string;
  /** The context entries by path, with their stat keys (see {@link ContextEntry.key}). */
  readonly entries: Readonly<Record<string, string>>;
  /** sha256 of the Dockerfile's text. */
  readonly dockerfile: string;
  /** The Dockerfile's path relative to the context (`../docker/api.Dockerfile` when outside). */
  readonly dockerfilePath: string;
  /** sha256 of the ignore file's text ('' when there is none). */
  readonly ignoreFile: string;
  /** Build argument names to a sha256 of their values (values may be secrets). */
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly target: string | null;
}

export interface BuildSettings {
  buildArgs?: Readonly<Record<string, string>>;
  /** The stage to build (`--target`). */
  target?: string | null;
}

/**
 * The key of a build: the context as the builder receives it (after `.dockerignore`), the
 * Dockerfile's text, the ignore file, the build arguments and the target stage. Equal keys
 * mean `docker build` would see the same inputs; the key does not cover the base images a
 * Dockerfile pulls (`FROM`), which only a build can resolve.
 *
 * Files are keyed by their stats, not their content (see {@link ContextEntry.key}): a hit
 * costs a directory walk, no file is read. A file touched without a change gets a new key
 * and a rebuild that Docker's layer cache makes cheap; a changed file is never missed.
 */
export async function hashBuildInputs(
  context: BuildContext,
  settings: BuildSettings = {},
): Promise<BuildInputs> {
  const dockerfileText = await readFile(context.dockerfile);
  const entries: Record<string, string> = {};
  for (const entry of context.entries) entries[entry.path] = entry.key;
  const buildArgs: Record<string, string> = {};
  for (const name of Object.keys(settings.buildArgs ?? {}).sort()) {
    buildArgs[name] = sha256(settings.buildArgs?.[name] ?? '');
  }
  const inputs = {
    entries,
    dockerfile: sha256(dockerfileText),
    dockerfilePath: path.relative(context.contextDir, context.dockerfile).split(path.sep).join('/'),
    ignoreFile: context.ignoreFile === null ? '' : sha256(context.ignoreText),
    buildArgs,
    target: settings.target ?? null,
  };
  const hash = createHash('sha256').update(INPUTS_VERSION);
  for (const entry of context.entries) hash.update(`\n${entry.path}\0${entry.key}`);
  hash.update(
    `\n${JSON.stringify([inputs.dockerfile, inputs.dockerfilePath, inputs.ignoreFile, buildArgs, inputs.target])}`,
  );
  return { hash: hash.digest('hex'), ...inputs };
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * What differs between the inputs of the last build and these, for the progress line
 * (`rebuilding: src/app.js changed`): the first few changed paths in order, then a count.
 * Build argument values are compared by hash and never printed.
 */
export function describeInputChange(
  previous: BuildInputs | undefined,
  current: BuildInputs,
): string {
  if (previous === undefined) return 'no earlier build of this image is recorded here';
  if (previous.hash === current.hash) {
    return 'its inputs are unchanged, but the image built from them is gone';
  }
  const changes: string[] = [];
  if (
    previous.dockerfile !== current.dockerfile ||
    previous.dockerfilePath !== current.dockerfilePath
  ) {
    changes.push(`${current.dockerfilePath} changed`);
  }
  if (previous.ignoreFile !== current.ignoreFile) changes.push('the ignore file changed');
  const args = new Set([...Object.keys(previous.buildArgs), ...Object.keys(current.buildArgs)]);
  const changedArgs = [...args].filter((a) => previous.buildArgs[a] !== current.buildArgs[a]);
  if (changedArgs.length > 0) changes.push(`build arguments changed (${changedArgs.join(', ')})`);
  if (previous.target !== current.target) changes.push(`the target stage changed`);

  const files: [path: string, what: string][] = [];
  for (const [file, key] of Object.entries(current.entries)) {
    const before = previous.entries[file];
    if (before === undefined) files.push([file, 'added']);
    else if (before !== key) files.push([file, 'changed']);
  }
  for (const file of Object.keys(previous.entries)) {
    if (current.entries[file] === undefined) files.push([file, 'removed']);
  }
  files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // Folders change when what is in them does: name the files, unless only folders changed.
  const isFolder = ([file]: [string, string]): boolean =>
    (current.entries[file] ?? previous.entries[file] ?? '').startsWith('d:');
  const named = files.filter((f) => !isFolder(f));
  const shown = (named.length > 0 ? named : files).map(([file, what]) => `${file} ${what}`);
  changes.push(...shown.slice(0, 3));
  if (shown.length > 3) changes.push(`${shown.length - 3} more`);
  return changes.length > 0 ? changes.join(', ') : 'its inputs changed';
}
