import type { IssueLocation, ValuePath } from './interpolate.js';

/** Where a layer's values come from, lowest precedence first. */
export type ConfigLayerKind = 'file' | 'env' | 'flags' | 'code';

/**
 * One source of configuration values. Layers are merged in order (later wins); after
 * validation, a bad value is traced back to the highest layer that defines its path.
 */
export interface ConfigLayer {
  readonly kind: ConfigLayerKind;
  /** The values this layer sets (usually a partial config; validated only after merging). */
  readonly value: unknown;
  /** Relative paths set by this layer are resolved against this directory. */
  readonly baseDirectory: string;
  /**
   * Where the value at `path` is, for an error message. `forKey` asks for the key's own
   * position (an unknown key) rather than its value's.
   */
  locate(path: ValuePath, forKey: boolean): IssueLocation;
}

/** A plain `{}`-style object: the only thing merged per key (arrays and the rest replace). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Deep-merges layer values, later ones winning: objects merge per key, everything else
 * (arrays included) replaces, and `undefined` means "not set" (so an unset CLI option never
 * hides the file's value). The result is a fresh copy, sharing nothing with the inputs.
 *
 * @example
 * ```ts
 * mergeLayerValues([{ server: { port: 1, tmpfs: false } }, { server: { port: 2 } }]);
 * // { server: { port: 2, tmpfs: false } }
 * ```
 */
export function mergeLayerValues(values: readonly unknown[]): unknown {
  let merged: unknown = undefined;
  for (const value of values) merged = mergeTwo(merged, value);
  return merged;
}

function mergeTwo(base: unknown, over: unknown): unknown {
  if (over === undefined) return copy(base);
  if (!isPlainObject(base) || !isPlainObject(over)) return copy(over);
  const result: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(base), ...Object.keys(over)])) {
    const merged = mergeTwo(base[key], over[key]);
    if (merged !== undefined) result[key] = merged;
  }
  return result;
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (child !== undefined) result[key] = copy(child);
    }
    return result;
  }
  return value;
}

/** The value at `path` inside `value`, walking objects and arrays; undefined when absent. */
export function valueAt(value: unknown, path: ValuePath): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isPlainObject(current)) current = current[String(segment)];
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/**
 * The highest-precedence layer that sets `path`: the one whose value survived the merge.
 * Undefined when no layer sets it (the value is a default).
 */
export function layerDefining(
  layers: readonly ConfigLayer[],
  path: ValuePath,
): ConfigLayer | undefined {
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer = layers[index];
    if (layer !== undefined && valueAt(layer.value, path) !== undefined) return layer;
  }
  return undefined;
}
