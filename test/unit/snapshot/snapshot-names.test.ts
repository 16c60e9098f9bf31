import { describe, expect, it } from 'vitest';
import { InvalidNameError } from '../../../src/snapshot/snapshot-errors.js';
import { validateSnapshotName } from '../../../src/snapshot/snapshot-names.js';

describe('validateSnapshotName', () => {
  it("accepts every name a journey's checkpoint may have, a leading '_' included", () => {
    // The template backend snapshots a checkpoint under its own name.
    for (const name of ['_', '_draft', 'order_created', 'v1.2-rc', 'x'.repeat(63)]) {
      expect(validateSnapshotName(name)).toBe(name);
    }
  });

  it('refuses what would read as a flag or a hidden file, SQL, unicode, and more than 63 bytes', () => {
    for (const name of ['', '-x', '.x', "a'b", 'a;b', 'a b', 'é', 'a\0b', 'x'.repeat(64)]) {
      expect(() => validateSnapshotName(name)).toThrow(InvalidNameError);
    }
  });
});
