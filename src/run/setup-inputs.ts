import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Path (relative to the config folder, `/`-separated) → sha256 of its content, or `missing`. */
export type InputHashes = Record<string, string>;

const GLOB = /[*?[]/;
/** Never part of an input: a folder listed as an input means the project's own files. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

/**
 * Hash the files `setup.inputs` names: files, folders (every file below them, `.git` and
 * `node_modules` left out) and globs (`migrations/*.js`, `db/**\/*.sql`), relative to `baseDir`.
 * A name that matches nothing counts as `missing`, so the key changes once it appears.
 */
export async function hashInputs(baseDir: string, inputs: readonly string[]): Promise<InputHashes> {
  const files = new Map<string, string>();
  for (const input of inputs) {
    const matched = GLOB.test(input)
      ? await expandGlob(baseDir, input)
      : await expandPath(baseDir, input);
    if (matched.length === 0) files.set(normalise(input), 'missing');
    for (const file of matched) files.set(relative(baseDir, file), '');
  }
  const hashes: InputHashes = {};
  for (const name of [...files.keys()].sort()) {
    hashes[name] =
      files.get(name) === 'missing'
        ? 'missing'
        : createHash('sha256')
            .update(await readFile(path.join(baseDir, name)))
            .digest('hex');
  }
  return hashes;
}

/**
 * The cache key of a setup: its command, its environment (as written, before placeholders are
 * filled in) and the content of its inputs.
 */
export function setupKey(
  command: readonly string[],
  env: Readonly<Record<string, string>>,
  inputs: InputHashes,
): string {
  const sortedEnv = Object.fromEntries(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256')
    .update(JSON.stringify({ v: 1, command, env: sortedEnv, inputs }))
    .digest('hex');
}

/** What changed between two sets of input hashes, for one line of progress. */
export function describeChanges(before: InputHashes, after: InputHashes): string[] {
  const changes: string[] = [];
  for (const [name, hash] of Object.entries(after)) {
    if (!(name in before)) changes.push(`${name} added`);
    else if (before[name] !== hash) changes.push(`${name} changed`);
  }
  for (const name of Object.keys(before)) if (!(name in after)) changes.push(`${name} removed`);
  return changes;
}

async function expandPath(baseDir: string, input: string): Promise<string[]> {
  const full = path.resolve(baseDir, input);
  const info = await stat(full).catch(() => undefined);
  if (!info) return [];
  return info.isDirectory() ? walk(full) : [full];
}

async function expandGlob(baseDir: string, pattern: string): Promise<string[]> {
  const parts = normalise(pattern).split('/');
  const staticParts: string[] = [];
  for (const part of parts) {
    if (GLOB.test(part)) break;
    staticParts.push(part);
  }
  const root = path.resolve(baseDir, ...staticParts);
  const matcher = globToRegExp(normalise(pattern));
  const candidates = await walk(root).catch(() => []);
  return candidates.filter((file) => matcher.test(relative(baseDir, file)));
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) files.push(...(await walk(full)));
    } else if (entry.isFile()) {
      files.push(full);
    }
  }
  return files;
}

/** `**` any folders, `*` within one name, `?` one character, `[…]` as written. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob.charAt(i);
    if (char === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = glob.indexOf(']', i);
      if (end === -1) source += '\\[';
      else {
        source += glob.slice(i, end + 1);
        i = end;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function relative(baseDir: string, file: string): string {
  return normalise(path.relative(baseDir, file));
}

function normalise(name: string): string {
  return name.split(path.sep).join('/').replace(/^\.\//, '');
}
