import { describe, expect, it } from 'vitest';
import { InvalidNameError } from '../../../src/snapshot/snapshot-errors.js';
import {
  MAX_IDENTIFIER_BYTES,
  PHYSICAL_PREFIX,
  parsePhysicalName,
  runKey,
  runLockId,
  runOwnedPhysicalName,
  snapshotPhysicalName,
  validateDatabaseName,
  validateSnapshotName,
} from '../../../src/snapshot/snapshot-names.js';

function rejection(run: () => unknown): InvalidNameError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidNameError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('validateSnapshotName', () => {
  it.each(['order_created', 'v1.2', 'ci-run-42', '0', 'A'.repeat(63)])(
    'accepts %j as is',
    (name) => {
      expect(validateSnapshotName(name)).toBe(name);
    },
  );

  it("accepts every name a journey's checkpoint may have, a leading '_' included", () => {
    // The template backend snapshots a checkpoint under its own name.
    for (const name of ['_', '_draft', 'order_created', 'v1.2-rc']) {
      expect(validateSnapshotName(name)).toBe(name);
    }
  });

  it('rejects 64 bytes instead of truncating, saying how long it is', () => {
    const error = rejection(() => validateSnapshotName('a'.repeat(64)));
    expect(error.code).toBe('VENOMQA_INVALID_NAME');
    expect(error.message).toBe(
      'Snapshot name is 64 bytes long; the limit is 63 (names are never truncated)',
    );
  });

  it.each([
    ["x'; drop database postgres; --", 'quote and semicolon'],
    ['a"b', 'double quote'],
    ['with space', 'space'],
    ['-leading-dash', 'leading dash'],
    ['.hidden', 'leading dot'],
    ['café', 'non-ASCII letter'],
    ['名前', 'CJK'],
    ['tab\there', 'tab'],
    ['new\nline', 'newline'],
    ['back\\slash', 'backslash'],
    ['%s', 'format specifier'],
  ])('rejects the hostile name %j (%s), quoting it in the message', (name) => {
    const error = rejection(() => validateSnapshotName(name));
    expect(error.message).toContain(JSON.stringify(name));
    expect(error.message).toContain("may only contain ASCII letters, digits, '_', '.' and '-'");
  });

  it('rejects an empty name and a NUL byte with their own reasons', () => {
    expect(rejection(() => validateSnapshotName('')).message).toBe('Snapshot name is empty');
    expect(rejection(() => validateSnapshotName('a\0b')).message).toBe(
      'Snapshot name contains a NUL byte',
    );
  });
});

describe('validateDatabaseName', () => {
  it('accepts any characters PostgreSQL keeps whole, counting bytes, not characters', () => {
    expect(validateDatabaseName('Shop "Prod"; x')).toBe('Shop "Prod"; x');
    expect(validateDatabaseName('é'.repeat(31))).toBe('é'.repeat(31)); // 62 bytes
    expect(rejection(() => validateDatabaseName('é'.repeat(32))).message).toBe(
      'Database name is 64 bytes long; PostgreSQL would truncate it to 63',
    );
  });

  it('rejects an empty name and a NUL byte', () => {
    expect(rejection(() => validateDatabaseName('')).message).toBe('Database name is empty');
    expect(rejection(() => validateDatabaseName('db\0')).message).toBe(
      'Database name contains a NUL byte',
    );
  });
});

describe('physical names', () => {
  it('gives a named snapshot one stable name under the identifier limit', () => {
    const name = snapshotPhysicalName('order_created');
    expect(name).toBe(snapshotPhysicalName('order_created'));
    expect(name).not.toBe(snapshotPhysicalName('order_createe'));
    expect(name).toMatch(/^vqa_s_[0-9a-f]{20}$/);
    expect(Buffer.byteLength(snapshotPhysicalName('x'.repeat(63)))).toBeLessThanOrEqual(
      MAX_IDENTIFIER_BYTES,
    );
  });

  it('names run-owned databases by kind and run, 25 bytes, each one new', () => {
    const a = runOwnedPhysicalName('clone', 'run-1');
    const b = runOwnedPhysicalName('clone', 'run-1');
    expect(a).not.toBe(b);
    expect(a).toHaveLength(25);
    expect(a.startsWith(`${PHYSICAL_PREFIX}c_${runKey('run-1')}_`)).toBe(true);
  });

  it.each(['checkpoint', 'clone', 'restore-temp', 'restore-old'] as const)(
    'reads kind %s and the owning run back',
    (kind) => {
      expect(parsePhysicalName(runOwnedPhysicalName(kind, 'run-7'))).toEqual({
        kind,
        runKey: runKey('run-7'),
      });
    },
  );

  it('reads a named snapshot back, without a run', () => {
    expect(parsePhysicalName(snapshotPhysicalName('x'))).toEqual({
      kind: 'snapshot',
      runKey: undefined,
    });
  });

  it.each([
    'shop',
    'vqa_',
    'vqa_x_12345678_0123456789',
    'vqa_c_1234567_0123456789',
    'vqa_c_12345678_0123456789_extra',
    'vqa_s_0123',
    'VQA_c_12345678_0123456789',
    'xvqa_c_12345678_0123456789',
  ])('does not claim %j', (name) => {
    expect(parsePhysicalName(name)).toBeUndefined();
  });

  it('makes a run key a signed 32-bit advisory lock id, as pg_locks stores it', () => {
    expect(runLockId('00000001')).toBe(1);
    expect(runLockId('ffffffff')).toBe(-1);
    expect(runLockId('80000000')).toBe(-2147483648);
    expect(runKey('run-1')).toMatch(/^[0-9a-f]{8}$/);
  });
});
