import { describe, expect, it } from 'vitest';
import { replaces } from '../../../src/state/backend-precedence.js';
import type { StateBackendSource } from '../../../src/state/state-backend.js';

const info = (source: StateBackendSource, packageName?: string) => ({
  name: 'mongo',
  source,
  ...(packageName === undefined ? {} : { packageName }),
});

describe('replaces', () => {
  it.each([
    ['code', 'config', true],
    ['code', 'builtin', true],
    ['config', 'builtin', true],
    ['builtin', 'package', true],
    ['config', 'code', false],
    ['builtin', 'config', false],
    ['package', 'builtin', false],
    ['code', 'code', true],
    ['config', 'config', true],
  ] as const)('%s over an existing %s: %s', (incoming, existing, expected) => {
    expect(replaces(info(incoming), info(existing))).toBe(expected);
  });

  it('keeps the first installed package: the nearest node_modules is searched first', () => {
    expect(replaces(info('package', 'far-away'), info('package', 'nearest'))).toBe(false);
  });
});
