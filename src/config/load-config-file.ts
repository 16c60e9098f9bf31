import fs from 'node:fs';
import path from 'node:path';

import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';

import { ConfigError } from './config-errors.js';
import type { ConfigIssue } from './config-errors.js';
import { interpolate } from './interpolate.js';
import type { EnvRecord, ValuePath } from './interpolate.js';
import { redactText } from '../redaction/index.js';

/** The YAML config files searched for in each directory from cwd up to the root. */
export const CONFIG_FILE_NAMES = ['venomqa.yaml', 'venomqa.yml'] as const;

/**
 * Config files in code, searched for like the YAML ones and before them in each directory:
 * when a directory holds both, the code config is used (it is the more specific choice, as
 * `vitest.config.ts` is over `vite.config.ts`) and the others are reported as shadowed.
 */
export const CODE_CONFIG_FILE_NAMES = [
  'venomqa.config.ts',
  'venomqa.config.mts',
  'venomqa.config.js',
  'venomqa.config.mjs',
] as const;

/** True for a config file that is a module to import rather than YAML to read. */
export function isCodeConfigFile(file: string): boolean {
  return /\.(?:[cm]?ts|[cm]?js)$/.test(file);
}

/** The variable naming the config file when `--config` is not given. */
export const CONFIG_FILE_ENV_VAR = 'VENOMQA_CONFIG';

export interface FindConfigFileOptions {
  /** Where the upward search starts; relative paths are resolved against it. */
  cwd: string;
  /** Read for `VENOMQA_CONFIG`. */
  env?: EnvRecord;
  /** A path given explicitly (`--config`). It must exist. */
  explicit?: string;
}

/**
 * The absolute path of the config file to use, or null when there is none. In order: the
 * explicit path (`--config`), then `VENOMQA_CONFIG`, then `venomqa.config.{ts,mts,js,mjs}`,
 * `venomqa.yaml` or `venomqa.yml` in `cwd` or the nearest parent directory (like `.git` or
 * `package.json` lookups; a code config wins in its directory). A file named
 * explicitly or by `VENOMQA_CONFIG` that does not exist is an error, never a silent fallback
 * to defaults.
 *
 * @example
 * ```ts
 * findConfigFile({ cwd: process.cwd(), env: process.env }); // '/repo/venomqa.yaml' or null
 * findConfigFile({ cwd: '/repo', explicit: 'qa/ci.yaml' }); // '/repo/qa/ci.yaml'
 * ```
 */
export function findConfigFile(options: FindConfigFileOptions): string | null {
  return findConfigFiles(options).file;
}

/** The config file to use, and the ones next to it that it shadows. */
export interface FoundConfigFiles {
  /** Absolute path, or null when there is none. */
  file: string | null;
  /** Other config files in the same directory, not used (say so: the user may expect them). */
  shadowed: string[];
}

/**
 * {@link findConfigFile}, also listing the config files the upward search found next to the
 * one it chose (a `venomqa.yaml` beside a `venomqa.config.ts`), so the caller can warn.
 */
export function findConfigFiles(options: FindConfigFileOptions): FoundConfigFiles {
  const cwd = path.resolve(options.cwd);
  if (options.explicit !== undefined && options.explicit !== '') {
    const file = requireFile(path.resolve(cwd, options.explicit), cwd, {}, 'given with --config');
    return { file, shadowed: [] };
  }
  const fromEnv = options.env?.[CONFIG_FILE_ENV_VAR];
  if (fromEnv !== undefined && fromEnv !== '') {
    const file = requireFile(
      path.resolve(cwd, fromEnv),
      cwd,
      { variable: CONFIG_FILE_ENV_VAR },
      `named by ${CONFIG_FILE_ENV_VAR}`,
    );
    return { file, shadowed: [] };
  }
  for (let directory = cwd; ; directory = path.dirname(directory)) {
    const present = [...CODE_CONFIG_FILE_NAMES, ...CONFIG_FILE_NAMES]
      .map((name) => path.join(directory, name))
      .filter(isFile);
    const [file, ...shadowed] = present;
    if (file !== undefined) return { file, shadowed };
    if (path.dirname(directory) === directory) return { file: null, shadowed: [] };
  }
}

function requireFile(file: string, cwd: string, extra: Partial<ConfigIssue>, how: string): string {
  const stats = statOrUndefined(file);
  if (stats?.isFile() === true) return file;
  const problem = stats === undefined ? 'config file not found' : 'is not a regular file';
  throw new ConfigError(
    { ...extra, file, message: `${problem} (${how})` },
    {
      cwd,
      hint:
        'check the path, or leave out --config and VENOMQA_CONFIG to search for venomqa.yaml ' +
        'from the current directory upwards',
    },
  );
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    // EACCES on a parent directory: treat as absent, as a shell lookup would.
    return undefined;
  }
}

function isFile(file: string): boolean {
  return statOrUndefined(file)?.isFile() === true;
}

/** A 1-based position in a file. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A parsed, interpolated config file that can say where each of its values is. */
export interface ConfigFile {
  /** Absolute path. */
  readonly path: string;
  /** Its directory: relative paths in the file are resolved against it. */
  readonly directory: string;
  /** The parsed mapping after `${VAR}` substitution, not validated yet. */
  readonly value: Record<string, unknown>;
  /** Where the key of the value at `path` is written (for "unknown key"). */
  keyPosition(path: ValuePath): SourcePosition | undefined;
  /** Where the value at `path` is written (for "must be …"). */
  valuePosition(path: ValuePath): SourcePosition | undefined;
}

export interface LoadConfigFileOptions {
  /** Variables for `${VAR}` substitution. */
  env: EnvRecord;
  /** Base of a relative `file`; files inside it are shown relative to it in errors. */
  cwd?: string;
}

/**
 * Reads, parses and interpolates one config file. YAML syntax errors, a top level that is not
 * a mapping and unset `${VAR}`s are reported as a {@link ConfigError} with `file:line:col`.
 * An empty file (or one with only comments) is `{}`. Nothing is validated against the schema
 * here: `resolveConfig` does that once, after merging every layer.
 *
 * @example
 * ```ts
 * const file = loadConfigFile('/repo/venomqa.yaml', { env: process.env });
 * file.value.parallel_paths; // 4
 * file.valuePosition(['parallel_paths']); // { line: 3, column: 17 }
 * ```
 */
export function loadConfigFile(file: string, options: LoadConfigFileOptions): ConfigFile {
  const absolute = path.resolve(options.cwd ?? '.', file);
  const errorOptions = options.cwd === undefined ? {} : { cwd: options.cwd };
  let text: string;
  try {
    text = fs.readFileSync(absolute, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'read failed';
    throw new ConfigError(
      { file: absolute, message: `cannot read config file (${reason})` },
      { ...errorOptions, cause: error },
    );
  }

  const lineCounter = new LineCounter();
  // prettyErrors off: the pretty form quotes the source line, which may hold a password.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  if (document.errors.length > 0) {
    throw new ConfigError(
      document.errors.map((error) => ({
        file: absolute,
        ...at(error.pos[0]),
        message: `YAML syntax error: ${redactText(error.message)}`,
      })),
      { ...errorOptions, hint: 'fix the YAML syntax at the position shown' },
    );
  }

  const positions = indexPositions(document, at);
  const contents = document.contents;
  if (contents !== null && !isMap(contents)) {
    const kind = isSeq(contents) ? 'a list' : 'a single value';
    throw new ConfigError(
      {
        file: absolute,
        ...(contents.range ? at(contents.range[0]) : {}),
        message: `the file must be a mapping of settings (key: value), got ${kind}`,
      },
      errorOptions,
    );
  }

  let parsed: unknown;
  try {
    parsed = document.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    // Unresolvable or exploding aliases: yaml gives no position, so find the alias ourselves.
    let position: SourcePosition | undefined;
    visit(document, {
      Alias: (_key, node) => {
        if (node.resolve(document) !== undefined || !node.range) return undefined;
        position = at(node.range[0]);
        return visit.BREAK;
      },
    });
    throw new ConfigError(
      {
        file: absolute,
        ...position,
        message: `cannot read YAML: ${redactText((error as Error).message)}`,
      },
      { ...errorOptions, cause: error },
    );
  }

  const lookup = (valuePath: ValuePath): PositionEntry | undefined => {
    // The longest known prefix: a value the index does not know is inside one it does.
    for (let length = valuePath.length; length >= 0; length--) {
      const entry = positions.get(pathKey(valuePath.slice(0, length)));
      if (entry !== undefined) return entry;
    }
    return undefined;
  };

  const value = interpolate(parsed, options.env, {
    ...errorOptions,
    locate: (valuePath) => ({ file: absolute, ...lookup(valuePath)?.value }),
    isPlainScalar: (valuePath) => positions.get(pathKey(valuePath))?.plain === true,
  }) as Record<string, unknown>;

  return {
    path: absolute,
    directory: path.dirname(absolute),
    value,
    keyPosition: (valuePath) => {
      const entry = lookup(valuePath);
      return entry?.key ?? entry?.value;
    },
    valuePosition: (valuePath) => lookup(valuePath)?.value,
  };
}

interface PositionEntry {
  key?: SourcePosition;
  value?: SourcePosition;
  /** An unquoted scalar, whose interpolated text is typed like YAML types plain scalars. */
  plain: boolean;
}

function pathKey(valuePath: ValuePath): string {
  return JSON.stringify(valuePath.map(String));
}

/** Maps every key path in the document to where its key and value are written. */
function indexPositions(
  document: Document,
  at: (offset: number) => SourcePosition,
): Map<string, PositionEntry> {
  const positions = new Map<string, PositionEntry>();
  const onStack = new Set<unknown>();

  const visit = (node: unknown, valuePath: ValuePath): void => {
    if (isAlias(node)) {
      const target = node.resolve(document);
      if (target !== undefined && !onStack.has(target)) {
        onStack.add(target);
        visit(target, valuePath);
        onStack.delete(target);
      }
      return;
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        const name = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        const childPath = [...valuePath, name];
        const valueNode = pair.value as YamlNode | null;
        positions.set(pathKey(childPath), {
          ...(keyNode?.range ? { key: at(keyNode.range[0]) } : {}),
          ...(valueNode?.range
            ? { value: at(valueNode.range[0]) }
            : keyNode?.range
              ? { value: at(keyNode.range[1]) }
              : {}),
          plain: isScalar(valueNode) && valueNode.type === 'PLAIN',
        });
        visit(valueNode, childPath);
      }
      return;
    }
    if (isSeq(node)) {
      node.items.forEach((item, index) => {
        const itemNode = item as YamlNode | null;
        const childPath = [...valuePath, index];
        positions.set(pathKey(childPath), {
          ...(itemNode?.range ? { value: at(itemNode.range[0]) } : {}),
          plain: isScalar(itemNode) && itemNode.type === 'PLAIN',
        });
        visit(itemNode, childPath);
      });
    }
  };

  if (document.contents !== null) {
    positions.set(pathKey([]), { value: at(document.contents.range?.[0] ?? 0), plain: false });
    visit(document.contents, []);
  }
  return positions;
}
