import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** `module#Export` split into its parts; the export defaults to `default`. */
export interface PluginReference {
  module: string;
  exportName: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Split a plugin reference: `./plugins/audit.js#AuditStateManager`, `my-pkg#Backend`,
 * `@scope/pkg/state.js#Backend`. Without `#Export` (or when what follows the last `#` is not an
 * identifier, as in the subpath import `#state`), the default export is used.
 *
 * @example
 * ```ts
 * parsePluginReference('venomqa-mongo#MongoStateManager');
 * // { module: 'venomqa-mongo', exportName: 'MongoStateManager' }
 * ```
 */
export function parsePluginReference(reference: string): PluginReference {
  const hash = reference.lastIndexOf('#');
  if (hash > 0 && IDENTIFIER.test(reference.slice(hash + 1))) {
    return { module: reference.slice(0, hash), exportName: reference.slice(hash + 1) };
  }
  return { module: reference, exportName: 'default' };
}

/**
 * The URL to `import()` for `specifier` as written in a file in `baseDir`: relative and
 * absolute paths are taken as paths, anything else is a package resolved from `baseDir`'s
 * `node_modules` folders (its `exports`, `main` or `index.js`). Throws when nothing is found.
 */
export function resolvePluginModule(specifier: string, baseDir: string): string {
  if (/^file:/.test(specifier)) return specifier;
  if (path.isAbsolute(specifier)) return pathToFileURL(specifier).href;
  if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.') {
    return pathToFileURL(path.resolve(baseDir, specifier)).href;
  }
  const require = createRequire(path.join(baseDir, 'noop.js'));
  try {
    return pathToFileURL(require.resolve(specifier)).href;
  } catch (error) {
    // require.resolve knows no `import`-only `exports` (ERR_PACKAGE_PATH_NOT_EXPORTED): an ESM
    // plugin package is resolved by hand below.
    const found = resolveEsmPackage(specifier, baseDir);
    if (found !== undefined) return pathToFileURL(found).href;
    throw error;
  }
}

function resolveEsmPackage(specifier: string, baseDir: string): string | undefined {
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const subpath = parts.slice(nameLength).join('/');
  for (let dir = path.resolve(baseDir); ; dir = path.dirname(dir)) {
    const packageDir = path.join(dir, 'node_modules', name);
    const manifestPath = path.join(packageDir, 'package.json');
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
        exports?: unknown;
        main?: unknown;
      };
      const key = subpath === '' ? '.' : `./${subpath}`;
      const target =
        manifest.exports === undefined
          ? subpath === ''
            ? typeof manifest.main === 'string'
              ? manifest.main
              : 'index.js'
            : subpath
          : exportTarget(manifest.exports, key);
      return target === undefined ? undefined : path.resolve(packageDir, target);
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The file `exports` maps `key` to, preferring the `import`, then `node`, then `default` condition. */
function exportTarget(exports: unknown, key: string): string | undefined {
  const entry =
    typeof exports === 'string' || Array.isArray(exports) || !hasSubpathKeys(exports)
      ? key === '.'
        ? exports
        : undefined
      : (exports as Record<string, unknown>)[key];
  return pickCondition(entry);
}

function hasSubpathKeys(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && Object.keys(value).some((k) => k.startsWith('.'))
  );
}

function pickCondition(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) {
    for (const item of entry) {
      const found = pickCondition(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof entry === 'object' && entry !== null) {
    const conditions = entry as Record<string, unknown>;
    for (const condition of ['import', 'node', 'default']) {
      const found = pickCondition(conditions[condition]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
