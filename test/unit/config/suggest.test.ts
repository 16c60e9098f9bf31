import { describe, expect, it } from 'vitest';

import { levenshtein, suggest } from '../../../src/config/suggest.js';

describe('levenshtein', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(levenshtein('paralel_paths', 'parallel_paths')).toBe(1);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });
});

describe('suggest', () => {
  const serverKeys = ['provider', 'image', 'base_image', 'port', 'tmpfs', 'network', 'user'];

  it('finds the key one typo away', () => {
    expect(suggest('provder', serverKeys)).toBe('provider');
    expect(suggest('netwrok', serverKeys)).toBe('network');
  });

  it('ignores case and dashes, as users type them', () => {
    expect(suggest('Base-Image', serverKeys)).toBe('base_image');
  });

  it('suggests nothing when no key is plausibly meant', () => {
    expect(suggest('colour', serverKeys)).toBeUndefined();
    expect(suggest('timeout', serverKeys)).toBeUndefined();
  });

  it('prefers the closest candidate', () => {
    // Both are within reach; the nearer one wins even though it is listed second.
    expect(suggest('paralel_path', ['parallel_paths', 'paralel_paths'])).toBe('paralel_paths');
  });
});
