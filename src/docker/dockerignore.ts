import path from 'node:path';

/** One line of a `.dockerignore`, compiled. */
interface IgnorePattern {
  /** `!pattern`: puts back what an earlier line left out. */
  readonly exception: boolean;
  /** The cleaned pattern text, as Docker keeps it (`src/*.md`). */
  readonly text: string;
  readonly regex: RegExp;
  /** Its `/`-separated segments, to tell whether it can reach inside a folder. */
  readonly segments: readonly RegExp[];
}

/**
 * The rules of a `.dockerignore` file, as Docker's own matcher (moby/patternmatcher) applies
 * them, so the files venomqa hashes are exactly the files `docker build` sends:
 *
 * - Paths are relative to the context, `/`-separated; a leading `/` is dropped and each
 *   pattern is cleaned like Go's `filepath.Clean` (`./a//b/` is `a/b`).
 * - `*` matches within one path segment, `?` one character of it, `[a-z]`/`[^a]` a class,
 *   `**` any number of segments (`**∕*.log`); `\` escapes the next character.
 * - A pattern matches a path or any of its parent folders: `node_modules` leaves out
 *   everything below it. Patterns are anchored at the context root (`*.md` is only top-level).
 * - Lines starting with `#` are comments; `!pattern` is an exception; the last line that
 *   matches decides.
 *
 * @example
 * ```ts
 * const ignore = Dockerignore.parse('node_modules\n!node_modules/keep\n*.md');
 * ignore.excludes('node_modules/x/index.js'); // true
 * ignore.excludes('node_modules/keep/a.js'); // false
 * ```
 */
export class Dockerignore {
  readonly #patterns: readonly IgnorePattern[];

  private constructor(patterns: readonly IgnorePattern[]) {
    this.#patterns = patterns;
  }

  /** The rules of `text` (the content of a `.dockerignore`; empty for none). */
  static parse(text: string): Dockerignore {
    const patterns: IgnorePattern[] = [];
    for (const [index, rawLine] of text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .entries()) {
      if (rawLine.startsWith('#')) continue;
      let line = rawLine.trim();
      if (line === '') continue;
      const exception = line.startsWith('!');
      if (exception) line = line.slice(1).trim();
      if (line === '') {
        throw new SyntaxError(`.dockerignore line ${index + 1}: "!" alone is not a pattern`);
      }
      let cleaned = cleanPath(line);
      if (cleaned.length > 1 && cleaned.startsWith('/')) cleaned = cleaned.slice(1);
      patterns.push({
        exception,
        text: cleaned,
        regex: new RegExp(`^${toRegexSource(cleaned)}$`, 'u'),
        segments: cleaned.split('/').map((s) => new RegExp(`^${toRegexSource(s)}$`, 'u')),
      });
    }
    return new Dockerignore(patterns);
  }

  /** True when there are no rules: everything in the context is sent. */
  get empty(): boolean {
    return this.#patterns.length === 0;
  }

  /** True when `relativePath` (`/`-separated, relative to the context) is not sent. */
  excludes(relativePath: string): boolean {
    let parents: string[] | undefined;
    let excluded = false;
    for (const pattern of this.#patterns) {
      // An exception only matters for what is excluded so far, and an exclusion only for
      // what is still included: the last matching line decides.
      if (pattern.exception !== excluded) continue;
      if (pattern.regex.test(relativePath)) {
        excluded = !pattern.exception;
        continue;
      }
      parents ??= ancestorsOf(relativePath);
      if (parents.some((p) => pattern.regex.test(p))) excluded = !pattern.exception;
    }
    return excluded;
  }

  /**
   * False when nothing below the excluded folder `relativePath` can be put back by an
   * exception, so a walk may skip it whole (a big `node_modules` is never listed). True is
   * the safe answer: every file below is still checked with {@link excludes}.
   */
  mayIncludeBelow(relativePath: string): boolean {
    const folder = relativePath.split('/');
    return this.#patterns.some(
      (pattern) =>
        pattern.exception &&
        pattern.segments.every((segment, i) => {
          const name = folder[i];
          // `**` can stand for any depth; past the folder's depth any file may match.
          return name === undefined || segment.source.includes('.*') || segment.test(name);
        }),
    );
  }
}

/** `a/b/c` → `['a', 'a/b']`. */
function ancestorsOf(relativePath: string): string[] {
  const parts = relativePath.split('/');
  const result: string[] = [];
  for (let i = 1; i < parts.length; i++) result.push(parts.slice(0, i).join('/'));
  return result;
}

/** Go's `filepath.Clean` for `/`-separated paths. */
export function cleanPath(text: string): string {
  const rooted = text.startsWith('/');
  const out: string[] = [];
  for (const part of text.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** Docker's translation of a pattern into a regular expression (patternmatcher's compile). */
function toRegexSource(pattern: string): string {
  let source = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        i += 1;
        if (chars[i + 1] === '/') i += 1; // `**/` is `**`
        source += i + 1 >= chars.length ? '.*' : '(.*/)?';
      } else {
        source += '[^/]*';
      }
    } else if (ch === '?') {
      source += '[^/]';
    } else if (ch === '\\') {
      const next = chars[i + 1];
      if (next === undefined) {
        source += '\\\\';
      } else {
        source += escapeRegexChar(next);
        i += 1;
      }
    } else if (ch === '[') {
      // A class is copied as is (`[a-z]`, `[^.]`): Go's and JavaScript's classes agree.
      const end = chars.indexOf(']', i + 1);
      if (end === -1) {
        source += '\\[';
      } else {
        source += chars.slice(i, end + 1).join('');
        i = end;
      }
    } else {
      source += escapeRegexChar(ch);
    }
  }
  return source;
}

function escapeRegexChar(ch: string): string {
  return /[.+()|{}$^*?\\/[\]]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * The ignore file that applies to a build, as BuildKit chooses it: `<Dockerfile>.dockerignore`
 * next to the Dockerfile when it exists, else `.dockerignore` at the root of the context.
 */
export function ignoreFileCandidates(contextDir: string, dockerfile: string): string[] {
  return [`${dockerfile}.dockerignore`, path.join(contextDir, '.dockerignore')];
}
