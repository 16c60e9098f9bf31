import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { messageOf } from '../errors/venomqa-error.js';
import { InitProjectError } from './init-errors.js';
import type { PackageJson, ProjectSnapshot } from './project-snapshot.js';

/** Folders that hold no source of the app (or too much of someone else's). */
const SKIPPED_FOLDERS = new Set([
  'node_modules',
  'dist',
  'build',
  'out',
  'coverage',
  'reports',
  'tmp',
  'vendor',
]);
const SOURCE = /\.(?:[cm]?[jt]s|json|prisma)$/;
const DECLARATION = /\.d\.[cm]?ts$/;
// Bounds that keep init fast in a monorepo: detection needs the app's own top few levels.
const MAX_DEPTH = 5;
const MAX_FILES = 5000;
const MAX_SOURCE_BYTES = 256 * 1024;

/**
 * Read the project in `dir`: package.json (required), the file paths below it (skipping
 * `node_modules`, build output and dot-folders) and the text of its source files.
 */
export async function readProject(dir: string): Promise<ProjectSnapshot> {
  const packageJson = await readPackageJson(dir);
  const files: string[] = [];
  const sources = new Map<string, string>();
  const walk = async (relative: string, depth: number): Promise<void> => {
    const entries = await readdir(path.join(dir, relative), { withFileTypes: true }).catch(
      () => [],
    );
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (files.length >= MAX_FILES) return;
      if (entry.name.startsWith('.') && entry.name !== '.sequelizerc') continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (depth < MAX_DEPTH && !SKIPPED_FOLDERS.has(entry.name)) await walk(child, depth + 1);
      } else if (entry.isFile()) {
        files.push(child);
        if (isSource(child) && (await stat(path.join(dir, child))).size <= MAX_SOURCE_BYTES) {
          sources.set(child, await readFile(path.join(dir, child), 'utf8'));
        }
      }
    }
  };
  await walk('', 0);
  return { packageJson, files, sources };
}

function isSource(file: string): boolean {
  return (
    (SOURCE.test(file) || file.endsWith('.sequelizerc')) &&
    !DECLARATION.test(file) &&
    file !== 'package-lock.json'
  );
}

async function readPackageJson(dir: string): Promise<PackageJson> {
  const file = path.join(dir, 'package.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InitProjectError(`No package.json in ${dir}`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InitProjectError(`${file} is not valid JSON: ${messageOf(error)}`, {
      cause: error,
    });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InitProjectError(`${file} is not a JSON object`);
  }
  const json = raw as Record<string, unknown>;
  return {
    name: stringOrUndefined(json.name),
    main: stringOrUndefined(json.main),
    type: stringOrUndefined(json.type),
    scripts: stringRecord(json.scripts),
    dependencies: { ...stringRecord(json.devDependencies), ...stringRecord(json.dependencies) },
  };
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}
