import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { VenomQAError, messageOf } from '../errors/venomqa-error.js';
import { isJourney, type JourneyNode } from '../journey/journey-nodes.js';
import { importTypeScript, resolveVenomqaToSelf } from '../venomqa-self-import.js';
import { JourneyLoadError } from './run-errors.js';

/** A journey and the module it came from. */
export interface LoadedJourney {
  journey: JourneyNode;
  file?: string;
}

export interface LoadJourneysOptions {
  /**
   * Import the modules again instead of taking them from Node's module cache (watch mode, after
   * a file changed). TypeScript modules and what they import are always read afresh; a `.js`
   * module is, but not the plain JavaScript modules it imports.
   */
  fresh?: boolean;
}

/** Distinguishes each fresh import of a `.js` module from the cached one. */
let generation = 0;

const MODULE = /\.(?:ts|mts|js|mjs)$/;
const DECLARATION = /\.d\.m?ts$/;

/**
 * Journey modules from files and folders (folders are searched recursively for `.ts`, `.mts`,
 * `.js` and `.mjs` files, skipping `node_modules`, dot-folders, declaration files and files
 * starting with `_`, which are helpers by convention). TypeScript is loaded through tsx, so no
 * build step is needed. A module's default export and named exports that are journeys (or lists
 * of journeys) count; a module with none is an error, as is a name used by two journeys.
 */
export async function loadJourneys(
  entries: readonly string[],
  cwd: string,
  options: LoadJourneysOptions = {},
): Promise<LoadedJourney[]> {
  resolveVenomqaToSelf();
  const files: string[] = [];
  for (const entry of entries) files.push(...(await modulesAt(path.resolve(cwd, entry))));
  const loaded: LoadedJourney[] = [];
  for (const file of [...new Set(files)]) {
    const found = journeysIn(await importModule(file, options.fresh ?? false));
    if (found.length === 0) {
      throw new JourneyLoadError(`${file} exports no journey`, {
        hint: "Export one: `export default Journey({ name, steps })` (import { Journey } from 'venomqa').",
      });
    }
    loaded.push(...found.map((journey) => ({ journey, file })));
  }
  const seen = new Map<string, string>();
  for (const { journey, file } of loaded) {
    const other = seen.get(journey.name);
    if (other !== undefined) {
      throw new JourneyLoadError(
        `Two journeys are named '${journey.name}' (${other} and ${file ?? '?'}); reports need unique names`,
      );
    }
    seen.set(journey.name, file ?? '?');
  }
  return loaded;
}

async function modulesAt(target: string): Promise<string[]> {
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new JourneyLoadError(`No journey file or folder at ${target}`);
  if (info.isFile()) return [target];
  const found: string[] = [];
  const entries = await readdir(target, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') found.push(...(await modulesAt(full)));
    } else if (MODULE.test(entry.name) && !DECLARATION.test(entry.name)) {
      found.push(full);
    }
  }
  if (found.length === 0) throw new JourneyLoadError(`No journey modules (.ts, .js) in ${target}`);
  return found;
}

async function importModule(file: string, fresh: boolean): Promise<Record<string, unknown>> {
  try {
    if (/\.m?ts$/.test(file)) {
      return await importTypeScript(pathToFileURL(file).href);
    }
    const url = pathToFileURL(file).href;
    generation += 1;
    return (await import(fresh ? `${url}?venomqa-reload=${generation}` : url)) as Record<
      string,
      unknown
    >;
  } catch (error) {
    if (error instanceof VenomQAError) throw error;
    throw new JourneyLoadError(`Loading ${file} failed: ${messageOf(error)}`, {
      cause: error,
      ...(file.endsWith('.ts')
        ? {
            hint: 'A .ts journey follows Node\'s module rules: it is CommonJS unless the nearest package.json says "type": "module"; name it .mts to make it an ES module anyway.',
          }
        : {}),
    });
  }
}

function journeysIn(module: Record<string, unknown>): JourneyNode[] {
  const found = new Set<JourneyNode>();
  for (const value of Object.values(module)) {
    const candidates = Array.isArray(value) ? (value as unknown[]) : [value];
    for (const candidate of candidates) if (isJourney(candidate)) found.add(candidate);
  }
  return [...found];
}
