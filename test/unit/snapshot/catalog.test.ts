import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry, type CatalogEntry } from '../../../src/snapshot/catalog.js';

const entry: CatalogEntry = {
  v: 1,
  kind: 'snapshot',
  name: 'order_created',
  source: 'shop',
  parent: null,
  runId: 'run-1',
  pid: 4242,
  host: 'ci-7',
  createdAt: '2025-01-02T03:04:05.000Z',
};

describe('catalog entries', () => {
  it('round-trip through the JSON comment', () => {
    expect(decodeEntry(encodeEntry(entry))).toEqual(entry);
  });

  it.each([
    [null, 'no comment'],
    ['', 'an empty comment'],
    ['made by hand', 'text written by someone else'],
    ['{"v":1,"kind":', 'cut-off JSON'],
    ['null', 'JSON null'],
    ['42', 'a JSON number'],
    ['[1,2]', 'a JSON array'],
  ])('give nothing for %j (%s), never throw', (comment, _why) => {
    expect(decodeEntry(comment)).toBeUndefined();
  });

  it.each([
    ['an older format', { ...entry, v: 0 }],
    ['a newer format', { ...entry, v: 2 }],
    ['a version that is not a number', { ...entry, v: '1' }],
  ])('give nothing for an entry in %s', (_why, value) => {
    expect(decodeEntry(JSON.stringify(value))).toBeUndefined();
  });

  it('give nothing for an entry whose kind is missing or unknown', () => {
    expect(decodeEntry(JSON.stringify({ ...entry, kind: undefined }))).toBeUndefined();
    expect(decodeEntry(JSON.stringify({ ...entry, kind: 'table' }))).toBeUndefined();
  });
});
