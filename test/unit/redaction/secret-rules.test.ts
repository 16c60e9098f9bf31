import { describe, expect, it } from 'vitest';
import {
  REDACTED,
  isCardNumber,
  isSecretColumn,
  isSecretEnvName,
  isSecretHeader,
  isSecretKey,
} from '../../../src/redaction/index.js';

describe('the mask', () => {
  it('is one token everywhere', () => {
    expect(REDACTED).toBe('***');
  });
});

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

  it.each(['PGPASSWORD', 'API_TOKEN', 'STRIPE_KEY', 'client_secret'])(
    'environment variable %s is secret as a whole',
    (name) => {
      expect(isSecretEnvName(name)).toBe(true);
    },
  );

  it.each(['NODE_ENV', 'PORT', 'DATABASE_URL'])('environment variable %s is not', (name) => {
    expect(isSecretEnvName(name)).toBe(false);
  });
});

describe('secret columns and card numbers', () => {
  it.each([
    'password',
    'password_hash',
    'token_hash',
    'api_key_encrypted',
    'clientSecret',
    'card_number',
  ])('column %s is secret', (name) => {
    expect(isSecretColumn(name)).toBe(true);
  });

  it.each(['email', 'hash', 'card_last4', 'status', 'keyword', 'created_at', 'api_version'])(
    'column %s is not secret',
    (name) => {
      expect(isSecretColumn(name)).toBe(false);
    },
  );

  it('a card number is 13 to 19 digits that pass the Luhn check, grouped or not', () => {
    expect(isCardNumber('4242424242424242')).toBe(true);
    expect(isCardNumber('4242 4242 4242 4242')).toBe(true);
    expect(isCardNumber('4000-0000-0000-0002')).toBe(true);
    expect(isCardNumber('4242424242424241')).toBe(false); // fails Luhn
    expect(isCardNumber('424242424242')).toBe(false); // 12 digits
    expect(isCardNumber('order 4242424242424242')).toBe(false); // not the whole value
  });
});
