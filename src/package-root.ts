import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What venomqa reads of its own package.json. */
export interface OwnPackage {
  /** The folder holding package.json, images/ and dist/ (src/ in a checkout). */
  readonly root: string;
  readonly version: string;
}

const NAME = 'venomqa';

let found: OwnPackage | undefined;

/**
 * The folder of venomqa's own package.json. Every file venomqa ships besides its code (images/,
 * package.json, the entry points a journey's `import 'venomqa'` resolves to) is found from
 * here, never relative to a module's own URL: the build puts most modules into shared chunks
 * (dist/chunks/), so a module's folder says nothing about the package layout. Found once, by
 * walking up from this module, which works alike from src/ (tests), dist/ and the chunks.
 *
 * @example
 * ```ts
 * packageRoot(); // '/app/node_modules/venomqa'
 * ```
 */
export function packageRoot(): string {
  return ownPackage().root;
}

/** A file or folder shipped in the package: `packagePath('images', 'postgres')`. */
export function packagePath(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}

/** venomqa's own version, from its package.json. */
export function packageVersion(): string {
  return ownPackage().version;
}

function ownPackage(): OwnPackage {
  found ??= findOwnPackage(dirname(fileURLToPath(import.meta.url)));
  return found;
}

/**
 * The nearest package.json named venomqa at or above `from`. Others on the way (a workspace
 * package, a file that is not JSON) are passed over. Throws when there is none: venomqa's code
 * was moved away from its package (bundled into another program's file), which it does not
 * support, since it reads files it ships at run time.
 */
export function findOwnPackage(from: string): OwnPackage {
  for (let folder = from; ; folder = dirname(folder)) {
    const manifest = readManifest(join(folder, 'package.json'));
    if (manifest?.name === NAME && typeof manifest.version === 'string') {
      return { root: folder, version: manifest.version };
    }
    if (dirname(folder) === folder) break;
  }
  throw new Error(
    `venomqa cannot find its own package.json (name "${NAME}") in ${from} or any folder above it: ` +
      'its code must stay inside its installed package, which holds the files it reads at run time',
  );
}

function readManifest(file: string): { name?: unknown; version?: unknown } | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined; // no package.json here, or not one we can read
  }
}
