import { describe, expect, it } from 'vitest';
import {
  MAX_CHECKPOINT_NAME_LENGTH,
  checkpointSavepointName,
  validateCheckpointName,
} from '../../../src/state/checkpoint-name.js';
import { InvalidCheckpointNameError } from '../../../src/state/state-errors.js';

function rejection(name: string): InvalidCheckpointNameError {
  try {
    validateCheckpointName(name);
  } catch (error) {
    if (error instanceof InvalidCheckpointNameError) return error;
    throw error;
  }
  throw new Error(`${JSON.stringify(name)} was accepted`);
}

describe('checkpoint names', () => {
  it('map to chk_ followed by the name, unchanged (case kept)', () => {
    expect(checkpointSavepointName('order_created')).toBe('chk_order_created');
    expect(checkpointSavepointName('Order2')).toBe('chk_Order2');
  });

  it('accept the longest name that fits 63 bytes with its prefix, and reject one more', () => {
    expect(MAX_CHECKPOINT_NAME_LENGTH).toBe(59);
    expect(checkpointSavepointName('a'.repeat(59))).toHaveLength(63);
    const error = rejection('a'.repeat(60));
    expect(error.message).toContain('64 bytes, over the 63-byte identifier limit');
    expect(error.message).toContain('never truncated');
  });

  it.each([
    ['empty', '', 'must not be empty'],
    ['with NUL', 'a\0b', 'NUL'],
    ['with a dash', 'order-created', '"-"'],
    ['with a space and a dot', 'order created.v2', '" ", "."'],
    ['with a quote', 'x"; drop table users; --', '"\\""'],
    ['non-ASCII', 'café', '"é"'],
  ])('reject a name %s, saying why', (_case, name, reason) => {
    const error = rejection(name);
    expect(error.code).toBe('VENOMQA_CHECKPOINT_NAME_INVALID');
    expect(error.message).toContain(reason);
    expect(error.hint).toContain("'order_created'");
  });
});
