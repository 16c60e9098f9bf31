import { ContextKeyMissingError } from './journey-errors.js';

/**
 * Values steps hand to later steps (`ctx.set('order_id', id)`). Each path of a branch starts with
 * its own copy, so what one path stores is never seen by another, as with the database.
 */
export class JourneyContext {
  readonly #values: Map<string, unknown>;

  constructor(values?: Iterable<readonly [string, unknown]>) {
    this.#values = new Map(values);
  }

  get<T = unknown>(key: string): T | undefined {
    return this.#values.get(key) as T | undefined;
  }

  /** The value stored under `key`; throws {@link ContextKeyMissingError} when there is none. */
  require<T = unknown>(key: string): T {
    if (!this.#values.has(key)) throw new ContextKeyMissingError(key, [...this.#values.keys()]);
    return this.#values.get(key) as T;
  }

  set(key: string, value: unknown): this {
    this.#values.set(key, value);
    return this;
  }

  has(key: string): boolean {
    return this.#values.has(key);
  }

  delete(key: string): boolean {
    return this.#values.delete(key);
  }

  keys(): string[] {
    return [...this.#values.keys()];
  }

  /**
   * An independent copy for a path. Values are deep-copied when they can be (plain data);
   * values that cannot (functions, class instances holding handles) are shared as they are.
   */
  copy(): JourneyContext {
    return new JourneyContext(
      [...this.#values].map(([key, value]) => [key, copyIfPossible(value)] as const),
    );
  }

  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.#values);
  }
}

function copyIfPossible(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}
