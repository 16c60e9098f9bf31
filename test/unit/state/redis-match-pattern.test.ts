import { describe, expect, it } from 'vitest';
import { RedisStateManager, redisMatchPattern } from '../../../src/state/redis-state-manager.js';
import { StateConfigError } from '../../../src/state/state-errors.js';

describe('redisMatchPattern', () => {
  it('matches every key with the prefix', () => {
    expect(redisMatchPattern('cart:')).toBe('cart:*');
    expect(redisMatchPattern('')).toBe('*');
  });

  it('escapes glob characters so the prefix matches literally', () => {
    expect(redisMatchPattern('a*b?c[d]e\\')).toBe('a\\*b\\?c\\[d\\]e\\\\*');
  });
});

describe('RedisStateManager options', () => {
  it("defaults key_prefix to VenomQA's 'qa:', never to every key; '' must be written out", () => {
    expect(new RedisStateManager('redis://127.0.0.1:6379/0').keyPrefix).toBe('qa:');
    expect(new RedisStateManager({ connection_url: 'redis://h' }).keyPrefix).toBe('qa:');
    expect(new RedisStateManager({ connection_url: 'redis://h', key_prefix: '' }).keyPrefix).toBe(
      '',
    );
  });

  it.each([
    ['no URL', { connection_url: '' }, 'needs connection_url'],
    ['another scheme', { connection_url: 'http://h:6379' }, 'redis:// or rediss://'],
    ['a database name', { connection_url: 'redis://:secret@h:6379/cache' }, 'database number'],
    ['a NUL in the prefix', { connection_url: 'redis://h', key_prefix: 'a\0' }, 'key_prefix'],
  ])('rejects %s', (_case, options, message) => {
    expect(() => new RedisStateManager(options)).toThrow(StateConfigError);
    expect(() => new RedisStateManager(options)).toThrow(message);
    expect(() => new RedisStateManager(options)).not.toThrow('secret');
  });
});
