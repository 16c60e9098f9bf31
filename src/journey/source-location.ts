import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../package-root.js';

/** Where in a journey module something was written, for annotations pointing at the line. */
export interface SourceLocation {
  /** Absolute path of the module. */
  readonly file: string;
  /**
   * 1-based line, when the stack trace knows it. tsx runs a CommonJS-mode `.ts` module from a
   * `data:` URL whose line numbers are those of the compiled code, so there it is left out.
   */
  readonly line?: number;
  readonly column?: number;
}

/**
 * venomqa's own code (src/ in a checkout, dist/ when built, where the DSL shares chunks with
 * the rest): frames in it are the DSL's own, not the user's. Found on first use.
 */
let ownFolders: readonly string[] | undefined;
/** Another installed copy of venomqa (a journey importing its own `venomqa`). */
const INSTALLED_CODE = /[\\/]node_modules[\\/]venomqa[\\/]dist[\\/]/;
/** `at fn (location)` or `at location`, location ending in `:line:column`. */
const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

/**
 * Where the caller of a DSL builder is: the frames of the current stack outside venomqa's own
 * journey code and Node's internals, innermost first, at most `limit`. A helper that builds
 * steps for several journeys (`_helpers.ts`) appears first, the journey module that called it
 * after, so the runner can prefer the journey's own file.
 *
 * @example
 * ```ts
 * const [site] = callerLocations(); // { file: '/app/journeys/checkout.journey.ts', line: 12, column: 5 }
 * ```
 */
export function callerLocations(limit = 6): SourceLocation[] {
  const stack = new Error('call site').stack ?? '';
  const locations: SourceLocation[] = [];
  for (const text of stack.split('\n').slice(1)) {
    const location = parseFrame(text);
    if (!location || isOwnFrame(location.file)) continue;
    locations.push(location);
    if (locations.length >= limit) break;
  }
  return locations;
}

/** One stack frame line as a location, or undefined for Node's internals and native code. */
export function parseFrame(text: string): SourceLocation | undefined {
  const match = FRAME.exec(text);
  if (!match) return undefined;
  const [, where = '', line, column] = match;
  if (where.startsWith('node:') || where === 'native' || where.startsWith('<')) return undefined;
  if (where.startsWith('data:')) {
    // tsx's CommonJS path: the module's own path is in the URL's filePath parameter.
    const filePath = /[?&]filePath=([^&:]+)/.exec(where)?.[1];
    if (filePath === undefined) return undefined;
    return { file: decodeURIComponent(filePath).replace(/\?.*$/, '') };
  }
  const file = where.startsWith('file://') ? safeFilePath(where) : where;
  if (file === undefined) return undefined;
  return { file, line: Number(line), column: Number(column) };
}

function safeFilePath(url: string): string | undefined {
  try {
    return fileURLToPath(url.replace(/\?.*$/, ''));
  } catch {
    return undefined;
  }
}

function isOwnFrame(file: string): boolean {
  ownFolders ??= ['src', 'dist'].map((folder) => join(packageRoot(), folder) + sep);
  return ownFolders.some((folder) => file.startsWith(folder)) || INSTALLED_CODE.test(file);
}
