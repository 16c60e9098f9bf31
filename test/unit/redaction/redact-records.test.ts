import { describe, expect, it } from 'vitest';
import { redactColumns, redactHeaders, redactJson } from '../../../src/redaction/index.js';

describe('redactHeaders', () => {
  it('masks credential values and lower-cases names', () => {
    expect(redactHeaders({ Authorization: 'Bearer x', 'Content-Type': 'text/plain' })).toEqual({
      authorization: '***',
      'content-type': 'text/plain',
    });
  });

  it('reads a Headers object', () => {
    expect(redactHeaders(new Headers({ cookie: 'sid=1', accept: '*/*' }))).toEqual({
      cookie: '***',
      accept: '*/*',
    });
  });
});

describe('redactJson', () => {
  it('masks secret keys at any depth and URL passwords in strings', () => {
    expect(
      redactJson({
        user: { name: 'qa', password: { hash: 'x' } },
        list: [{ token: 't' }, 'postgresql://app:pw@db/app'],
        n: 1,
        ok: null,
      }),
    ).toEqual({
      user: { name: 'qa', password: '***' },
      list: [{ token: '***' }, 'postgresql://app:***@db/app'],
      n: 1,
      ok: null,
    });
  });
});

describe('redactColumns', () => {
  it('masks secret columns, card numbers, and secrets inside JSON and text values', () => {
    expect(
      redactColumns({
        id: 1,
        password_hash: 'scrypt$16384$8$1$salt$hash',
        token_hash: null,
        card: '4242 4242 4242 4242',
        settings: { theme: 'dark', api_key: 'k-123' },
        callback: 'postgresql://app:s3cret@db/app',
      }),
    ).toEqual({
      id: 1,
      password_hash: '***',
      token_hash: null,
      card: '***',
      settings: { theme: 'dark', api_key: '***' },
      callback: 'postgresql://app:***@db/app',
    });
  });
});
