import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import createDebug from 'debug';
import { messageOf } from '../errors/venomqa-error.js';
import { parsePluginReference } from './plugin-module.js';

const debug = createDebug('venomqa:state:plugins');

/**
 * One backend an installed package declares in its package.json:
 *
 * ```json
 * { "name": "venomqa-mongo", "venomqa": { "stateBackends": { "mongo": "./dist/state.js#MongoStateManager" } } }
 * ```
 *
 * (the Node form of a Python entry point). The reference is relative to the package folder.
 */
export interface InstalledStateBackend {
  /** The backend name (`db_backend: mongo`). */
  name: string;
  /** The declaring package's name. */
  packageName: string;
  /** The declaring package's folder. */
  packageDir: string;
  /** The reference as declared, or undefined when the declaration is not a string. */
  reference: string | undefined;
  /** Why the declaration cannot be used, when it cannot. */
  problem?: string;
}

/**
 * Every state backend declared by a package installed for the project at `cwd`: the packages at
 * the top level and under `@scope/` of each `node_modules` from `cwd` up to the root, nearest
 * first (as Node resolves). Unreadable package.json files are skipped.
 *
 * @example
 * ```ts
 * const found = await findInstalledStateBackends(process.cwd());
 * found.map((b) => `${b.name} from ${b.packageName}`); // ['mongo from venomqa-mongo']
 * ```
 */
export async function findInstalledStateBackends(cwd: string): Promise<InstalledStateBackend[]> {
  const found: InstalledStateBackend[] = [];
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    for (const packageDir of await packageDirs(path.join(dir, 'node_modules'))) {
      found.push(...(await declaredBackends(packageDir)));
    }
    if (path.dirname(dir) === dir) return found;
  }
}

async function packageDirs(nodeModules: string): Promise<string[]> {
  const entries = await readdir(nodeModules, { withFileTypes: true }).catch(() => []);
  const dirs: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    // Workspaces and `npm link` install packages as symlinks.
    if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
    const full = path.join(nodeModules, entry.name);
    if (entry.name.startsWith('@')) {
      const scoped = await readdir(full).catch(() => []);
      for (const child of scoped.sort()) dirs.push(path.join(full, child));
    } else {
      dirs.push(full);
    }
  }
  return dirs;
}

async function declaredBackends(packageDir: string): Promise<InstalledStateBackend[]> {
  let manifest: { name?: unknown; venomqa?: { stateBackends?: unknown } };
  try {
    manifest = JSON.parse(
      await readFile(path.join(packageDir, 'package.json'), 'utf8'),
    ) as typeof manifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      debug('skipping %s: %s', packageDir, messageOf(error));
    }
    return [];
  }
  const declared = manifest.venomqa?.stateBackends;
  if (declared === undefined) return [];
  const packageName = typeof manifest.name === 'string' ? manifest.name : path.basename(packageDir);
  if (typeof declared !== 'object' || declared === null || Array.isArray(declared)) {
    debug('%s: venomqa.stateBackends is not an object, ignored', packageName);
    return [];
  }
  return Object.entries(declared).map(([name, reference]) => {
    if (typeof reference !== 'string' || reference === '') {
      return {
        name,
        packageName,
        packageDir,
        reference: undefined,
        problem: `package.json of ${packageName} declares venomqa.stateBackends.${name} as ${JSON.stringify(reference)}, not a "./file.js#Export" string`,
      };
    }
    const target = path.resolve(packageDir, parsePluginReference(reference).module);
    if (!reference.startsWith('./') || !target.startsWith(`${packageDir}${path.sep}`)) {
      return {
        name,
        packageName,
        packageDir,
        reference,
        problem: `package.json of ${packageName} declares venomqa.stateBackends.${name} as "${reference}": it must be a path inside the package starting with "./"`,
      };
    }
    return { name, packageName, packageDir, reference };
  });
}
