import { InvalidCheckpointNameError } from './state-errors.js';

/** Prefix of every SAVEPOINT (and log label) a checkpoint becomes: `order_created` → `chk_order_created`. */
export const CHECKPOINT_PREFIX = 'chk_';

/** PostgreSQL truncates identifiers to 63 bytes (MySQL allows 64); names are checked against the smaller. */
export const MAX_IDENTIFIER_BYTES = 63;

/** The longest checkpoint name: 63 bytes minus the `chk_` prefix. */
export const MAX_CHECKPOINT_NAME_LENGTH = MAX_IDENTIFIER_BYTES - CHECKPOINT_PREFIX.length;

const ALLOWED = /^[A-Za-z0-9_]+$/;

/**
 * The SAVEPOINT name of a checkpoint: `chk_` followed by the name, unchanged. The mapping is
 * one-to-one on purpose: a name that needs changing (a space, a dash, a non-ASCII letter, more
 * than 59 characters) is rejected with {@link InvalidCheckpointNameError} instead of being
 * rewritten or truncated, so two checkpoints can never end up as the same SAVEPOINT.
 *
 * @example
 * ```ts
 * checkpointSavepointName('order_created'); // 'chk_order_created'
 * checkpointSavepointName('order-created'); // throws VENOMQA_CHECKPOINT_NAME_INVALID
 * ```
 */
export function checkpointSavepointName(name: string): string {
  validateCheckpointName(name);
  return `${CHECKPOINT_PREFIX}${name}`;
}

/** Throws {@link InvalidCheckpointNameError} unless `name` can be a checkpoint name. */
export function validateCheckpointName(name: string): void {
  if (typeof name !== 'string') {
    throw new InvalidCheckpointNameError(String(name), `must be a string, got ${typeof name}`);
  }
  if (name === '') throw new InvalidCheckpointNameError(name, 'must not be empty');
  if (name.includes('\0')) {
    throw new InvalidCheckpointNameError(name, 'must not contain a NUL character');
  }
  if (!ALLOWED.test(name)) {
    const bad = [...new Set([...name].filter((char) => !/[A-Za-z0-9_]/.test(char)))];
    throw new InvalidCheckpointNameError(
      name,
      `only letters A-Z and a-z, digits and '_' are allowed (found ${bad
        .map((char) => JSON.stringify(char))
        .join(', ')})`,
    );
  }
  const bytes = Buffer.byteLength(`${CHECKPOINT_PREFIX}${name}`, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES) {
    throw new InvalidCheckpointNameError(
      name,
      `'${CHECKPOINT_PREFIX}${name}' is ${bytes} bytes, over the ${MAX_IDENTIFIER_BYTES}-byte identifier limit (names are rejected, never truncated): use at most ${MAX_CHECKPOINT_NAME_LENGTH} characters`,
    );
  }
}
