import { describe, expect, it } from 'vitest';

import {
  isSecretHeader,
  isSecretKey,
  redactHeaders,
  redactJson,
  redactRecordedUrl,
  redactSecretsInText,
} from '../../../src/http/redaction.js';

describe('secret names', () => {
  it.each([
    'authorization',
    'Cookie',
    'set-cookie',
    'proxy-authorization',
    'X-API-Key',
    'x-auth-token',
    'x-client-secret',
  ])('header %s is secret', (name) => {
    expect(isSecretHeader(name)).toBe(true);
  });

  it.each(['content-type', 'accept', 'x-request-id', 'location'])(
    'header %s is not secret',
    (name) => {
      expect(isSecretHeader(name)).toBe(false);
    },
  );

  it.each([
    'password',
    'PASSWD',
    'secret',
    'token',
    'api_key',
    'apiKey',
    'Authorization',
    'card_number',
    'cardNumber',
    'access_token',
    'refreshToken',
    'client-secret',
    'newPassword',
  ])('key %s is secret', (key) => {
    expect(isSecretKey(key)).toBe(true);
  });

  it.each(['name', 'tokens', 'token_type', 'passwordHint', 'id', 'secretary'])(
    'key %s is not secret',
    (key) => {
      expect(isSecretKey(key)).toBe(false);
    },
  );
});

describe('redaction', () => {
  it('redacts header values and lower-cases names', () => {
    expect(redactHeaders({ Authorization: 'Bearer x', 'Content-Type': 'text/plain' })).toEqual({
      authorization: '[redacted]',
      'content-type': 'text/plain',
    });
  });

  it('redacts secret keys at any depth and URL passwords in strings', () => {
    expect(
      redactJson({
        user: { name: 'qa', password: { hash: 'x' } },
        list: [{ token: 't' }, 'postgresql://app:pw@db/app'],
        n: 1,
        ok: null,
      }),
    ).toEqual({
      user: { name: 'qa', password: '[redacted]' },
      list: [{ token: '[redacted]' }, 'postgresql://app:***@db/app'],
      n: 1,
      ok: null,
    });
  });

  it('redacts credentials in free text', () => {
    expect(
      redactSecretsInText(
        'GET /x Authorization: Bearer eyJhbGciOi.abc-def_1== from user=qa&password=hunter2 ' +
          "via postgresql://qa:pw@db/app?sslmode=disable and host=db password='a b'",
      ),
    ).toBe(
      'GET /x Authorization: Bearer [redacted] from user=qa&password=[redacted] ' +
        'via postgresql://qa:***@db/app?sslmode=disable and host=db password=[redacted]',
    );
  });

  it('is idempotent', () => {
    const once = redactSecretsInText('Bearer abc token=x http://u:p@h/');
    expect(redactSecretsInText(once)).toBe(once);
  });

  it('stays fast on long runs of letters (a base64 body)', () => {
    const started = performance.now();
    redactSecretsInText('A'.repeat(500_000));
    redactSecretsInText('a.'.repeat(250_000));
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('redacts secret query parameters and URL passwords', () => {
    expect(
      redactRecordedUrl('http://qa:pw@h/x?page=1&access_token=abc&API_KEY=def&token=#top'),
    ).toBe('http://qa:***@h/x?page=1&access_token=[redacted]&API_KEY=[redacted]&token=#top');
    expect(redactRecordedUrl('http://h/a&token=1')).toBe('http://h/a&token=1');
  });
});
