import { describe, expect, it } from 'vitest';
import { logTailText, notFoundText, quotedList } from '../../../src/errors/error-text.js';

describe('quotedList', () => {
  it('quotes each name, or says none', () => {
    expect(quotedList(['a', 'b'])).toBe("'a', 'b'");
    expect(quotedList([])).toBe('none');
    expect(quotedList([], '(nothing registered)')).toBe('(nothing registered)');
  });
});

describe('notFoundText', () => {
  it('names what was asked for, what exists and the nearest name', () => {
    expect(
      notFoundText({
        kind: 'Snapshot',
        name: 'ordr',
        existing: ['order', 'cart'],
        existingAs: 'existing snapshots',
        suggestion: 'order',
      }),
    ).toBe("Snapshot 'ordr' not found; existing snapshots: 'order', 'cart'; did you mean 'order'?");
  });

  it('says none exist, and suggests nothing without a suggestion', () => {
    expect(
      notFoundText({ kind: 'Checkpoint', name: 'x', existing: [], existingAs: 'existing' }),
    ).toBe("Checkpoint 'x' not found; existing: none");
  });
});

describe('logTailText', () => {
  it('indents each line under a heading, on new lines after the message', () => {
    expect(logTailText(['FATAL: boom', 'exit'])).toBe('\nLast log lines:\n  FATAL: boom\n  exit');
    expect(logTailText(['x'], { heading: 'Last stderr lines' })).toBe('\nLast stderr lines:\n  x');
  });

  it('is empty, or the given text, without lines', () => {
    expect(logTailText([])).toBe('');
    expect(logTailText([], { empty: '\n(no output)' })).toBe('\n(no output)');
  });
});
