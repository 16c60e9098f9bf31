/** A type whose objects and arrays cannot be changed at any depth. */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer Item)[]
    ? readonly DeepReadonly<Item>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/**
 * Freezes `value` and everything reachable from it, and returns it with a type that says so.
 * A resolved config is shared by every path of a run; freezing it makes "one path changed the
 * timeout for the others" impossible rather than merely unlikely.
 *
 * @example
 * ```ts
 * const config = deepFreeze({ server: { port: 5432 } });
 * config.server.port = 1; // TypeError in strict mode, and a type error
 * ```
 */
export function deepFreeze<T>(value: T): DeepReadonly<T> {
  freeze(value, new WeakSet());
  return value as DeepReadonly<T>;
}

function freeze(value: unknown, seen: WeakSet<object>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  Object.freeze(value);
  // Children are visited even when the parent was already frozen: a shallow freeze is common.
  for (const child of Object.values(value)) freeze(child, seen);
}
