import { describe, expect, it } from 'vitest';
import { LineBuffer, LineSplitter, MAX_LINE_LENGTH } from '../../../src/api/line-buffer.js';

describe('LineBuffer', () => {
  it('keeps the last lines up to its capacity, oldest first', () => {
    const buffer = new LineBuffer(3);
    for (const line of ['a', 'b', 'c', 'd', 'e']) buffer.push(line);
    expect(buffer.last(10)).toEqual(['c', 'd', 'e']);
    expect(buffer.last(2)).toEqual(['d', 'e']);
    expect(buffer.last(0)).toEqual([]);
  });
});

describe('LineSplitter', () => {
  it('joins lines split across chunks and drops carriage returns', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.write('first li');
    splitter.write('ne\r\nsecond\nthi');
    expect(lines).toEqual(['first line', 'second']);
    splitter.end();
    expect(lines).toEqual(['first line', 'second', 'thi']);
  });

  it('cuts a runaway line instead of holding it all', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.write('x'.repeat(MAX_LINE_LENGTH + 10));
    splitter.write('y'.repeat(MAX_LINE_LENGTH));
    splitter.write('zz\nnext\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^x+… \(line cut\)$/);
    expect(lines[1]).toBe('next');
  });
});
