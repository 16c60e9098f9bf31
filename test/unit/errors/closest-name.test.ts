import { describe, expect, it } from 'vitest';

import { closestName, levenshtein } from '../../../src/errors/closest-name.js';

describe('levenshtein', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(levenshtein('paralel_paths', 'parallel_paths')).toBe(1);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });
});

describe('closestName', () => {
  const serverKeys = ['provider', 'image', 'base_image', 'port', 'tmpfs', 'network', 'user'];

  it('finds the key one typo away', () => {
    expect(closestName('provder', serverKeys)).toBe('provider');
    expect(closestName('netwrok', serverKeys)).toBe('network');
  });

  it('ignores case and dashes, as users type them', () => {
    expect(closestName('Base-Image', serverKeys)).toBe('base_image');
  });

  it('suggests nothing when no key is plausibly meant', () => {
    expect(closestName('colour', serverKeys)).toBeUndefined();
    expect(closestName('timeout', serverKeys)).toBeUndefined();
  });

  it('prefers the closest candidate', () => {
    // Both are within reach; the nearer one wins even though it is listed second.
    expect(closestName('paralel_path', ['parallel_paths', 'paralel_paths'])).toBe('paralel_paths');
  });
});
