import type { ConfigIssue } from './config-errors.js';
import type { IssueLocation, ValuePath } from './interpolate.js';
import { keysAt } from './schema-lookup.js';

/**
 * `parallelPaths` → `parallel_paths`, `startupTimeout` → `startup_timeout`; snake_case stays.
 *
 * @example
 * ```ts
 * snakeCase('allowRemote'); // 'allow_remote'
 * ```
 */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** `parallel_paths` → `parallelPaths`, as a type. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

/**
 * A config shape whose keys may be written in snake_case (as in venomqa.yaml) or camelCase (as
 * TypeScript code usually is), at every level. Record keys (`api.env`, `state_backends`) are
 * names the user chose and are never converted.
 */
export type AnyCaseKeys<T> = T extends readonly unknown[]
  ? T
  : T extends Record<string, unknown>
    ? { [K in keyof T as K extends string ? K | CamelCase<K> : K]?: AnyCaseKeys<T[K]> }
    : T;

export interface NormalizedKeys {
  /** The same values with every key of a settings mapping in snake_case: plain objects only. */
  value: unknown;
  /** A key written both ways (`parallelPaths` and `parallel_paths`): one must go. */
  issues: ConfigIssue[];
}

/**
 * Rewrites the keys of venomqa's settings mappings to snake_case, guided by the schema: a key
 * the schema knows stays as it is, a camelCase key whose snake_case form the schema knows is
 * renamed, anything else is left for validation to report (with a suggestion). Keys inside
 * free-form mappings (`api.env`, `api.build_args`, `setup.env`, `state_backends`) are kept
 * exactly. Class instances (a `QAConfig`) become plain objects.
 *
 * @example
 * ```ts
 * normalizeConfigKeys({ parallelPaths: 2, api: { startupTimeout: 5, env: { apiKey: 'x' } } }, () => ({ fromCode: true })).value;
 * // { parallel_paths: 2, api: { startup_timeout: 5, env: { apiKey: 'x' } } }
 * ```
 */
export function normalizeConfigKeys(
  value: unknown,
  locate: (path: ValuePath) => IssueLocation,
): NormalizedKeys {
  const issues: ConfigIssue[] = [];
  const walk = (node: unknown, path: ValuePath): unknown => {
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (node === null || typeof node !== 'object') return node;
    const known = keysAt(path);
    const result: Record<string, unknown> = {};
    const writtenAs = new Map<string, string>();
    for (const [key, child] of Object.entries(node)) {
      const target =
        known.length === 0 || known.includes(key) || !known.includes(snakeCase(key))
          ? key
          : snakeCase(key);
      const earlier = writtenAs.get(target);
      if (earlier !== undefined) {
        issues.push({
          ...locate([...path, target]),
          key: [...path, target].join('.'),
          message: `'${[...path, earlier].join('.')}' and '${[...path, key].join('.')}' set the same key; keep one`,
        });
        continue;
      }
      writtenAs.set(target, key);
      result[target] = walk(child, [...path, target]);
    }
    return result;
  };
  return { value: walk(value, []), issues };
}
