import { describe, expect, it } from 'vitest';

import { resolveUrl, takeCredentials } from '../../../src/http/resolve-url.js';

describe('resolveUrl', () => {
  it.each([
    ['http://h:8000', '/users', 'http://h:8000/users'],
    ['http://h:8000', 'users', 'http://h:8000/users'],
    ['http://h:8000/', '/users', 'http://h:8000/users'],
    ['http://h/api', '/users/1', 'http://h/api/users/1'],
    ['http://h/api/', 'users/1', 'http://h/api/users/1'],
    ['http://h/api//', '//users', 'http://h/api/users'],
    ['http://h/api', '', 'http://h/api'],
    ['http://h/api', '?q=1', 'http://h/api?q=1'],
    ['http://h/api', 'https://other:1/x?y=2', 'https://other:1/x?y=2'],
    ['http://h', 'users/a b', 'http://h/users/a%20b'],
  ])('%s + %s → %s', (base, path, expected) => {
    expect(resolveUrl(base, path)).toBe(expected);
  });

  it('merges query parameters with those in the path', () => {
    expect(resolveUrl('http://h', '/s?a=1', { b: false, c: 0, d: undefined, e: 'x/y' })).toBe(
      'http://h/s?a=1&b=false&c=0&e=x%2Fy',
    );
  });
});

describe('takeCredentials', () => {
  it('moves user and password into a Basic header', () => {
    expect(takeCredentials('http://a%40b:p%3Aw@h/x')).toEqual({
      url: 'http://h/x',
      authorization: `Basic ${Buffer.from('a@b:p:w').toString('base64')}`,
    });
  });

  it('leaves a URL without credentials alone', () => {
    expect(takeCredentials('http://h/x')).toEqual({ url: 'http://h/x' });
  });
});
