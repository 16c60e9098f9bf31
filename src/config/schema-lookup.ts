import * as z from 'zod';

import type { ValuePath } from './interpolate.js';
import { qaConfigSchema } from './schema.js';

/** Looks through the wrappers that only add defaults, to the schema that checks values. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (
    current instanceof z.ZodDefault ||
    current instanceof z.ZodPrefault ||
    current instanceof z.ZodOptional
  ) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

/**
 * The schema of the value at `path` (object keys, record keys, array indexes), or undefined
 * when the schema has no such key. Used to check one `VENOMQA_*` value on its own and to list
 * the keys valid next to a misspelt one.
 *
 * @example
 * ```ts
 * schemaAt(['server', 'port'])?.safeParse(70000).success; // false
 * ```
 */
export function schemaAt(path: ValuePath): z.ZodType | undefined {
  let current: z.ZodType = qaConfigSchema;
  for (const segment of path) {
    const inner = unwrap(current);
    let next: z.ZodType | undefined;
    if (inner instanceof z.ZodObject) {
      next = (inner.shape as Record<string, z.ZodType | undefined>)[String(segment)];
    } else if (inner instanceof z.ZodRecord) {
      next = inner.valueType as z.ZodType;
    } else if (inner instanceof z.ZodArray) {
      next = inner.element as z.ZodType;
    }
    if (next === undefined) return undefined;
    current = next;
  }
  return current;
}

/**
 * The keys valid in the object at `path`, in schema order, or an empty list when `path` is
 * not an object with fixed keys.
 *
 * @example
 * ```ts
 * keysAt(['safety']); // ['allow_remote']
 * ```
 */
export function keysAt(path: ValuePath): string[] {
  const schema = schemaAt(path);
  if (schema === undefined) return [];
  const inner = unwrap(schema);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}
